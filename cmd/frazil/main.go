// Command frazil is Frazil's one command-line tool: it evaluates Nix
// expressions, manages the store and binary caches, builds systems and disk
// images, and runs on the device to report and switch generations.
//
// Each verb parses its own flags and calls a package; no logic lives here.
package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
)

// A command is one verb of the CLI.
type command struct {
	summary string
	run     func(args []string) error
}

// commands lists every verb; each verb's code is in the file named after it.
// It is filled in init so that usage, which reads it, can be called from a verb.
var commands map[string]command

func init() {
	commands = map[string]command{}
	commands["instantiate"] = command{"evaluate Nix expressions and write derivations (like nix-instantiate)", runInstantiate}
	commands["generations"] = generationsCommand
	commands["image"] = imageCommand
	commands["run-vm"] = runVMCommand
	commands["store"] = command{"add, dump, restore, query, collect and verify the store", runStore}
	commands["key"] = command{"generate signing keys, derive public keys", runKey}
	commands["cache"] = command{"serve a store or a directory as a binary cache", runCache}
	commands["kernel"] = kernelCommand
	commands["realise"] = command{"build or substitute the outputs of derivations (nix-store --realise)", runRealise}
	commands["build"] = command{"evaluate an expression and build its derivations (like nix-build)", runBuild}
	commands["log"] = command{"print the build log of a derivation", runLog}
	commands["services"] = servicesCommand
	commands["logs"] = logsCommand
	commands["initrd"] = initrdCommand
	commands["etc"] = etcCommand
	commands["toplevel"] = toplevelCommand
	commands["rebuild"] = rebuildCommand
	commands["option"] = optionCommand
	commands["poweroff"], commands["reboot"], commands["halt"] = powerCommand("poweroff"), powerCommand("reboot"), powerCommand("halt")
}

// errUsage is returned by a verb whose arguments are wrong; its usage text
// has already been printed.
var errUsage = errors.New("usage")

// exitError asks main to exit with a given status after printing nothing
// more (the command has reported already).
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "frazil: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	err := cmd.run(os.Args[2:])
	var code exitError
	switch {
	case err == nil:
	case errors.As(err, &code):
		os.Exit(int(code))
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "frazil %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: frazil COMMAND [ARGS]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-14s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'frazil COMMAND -h' for a command's flags; docs/cli.md describes them all.")
}
