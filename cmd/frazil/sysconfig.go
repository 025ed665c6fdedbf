package main

// This file holds what frazil rebuild and frazil option share: their
// common flags, finding Frazil's Nix code (modules/, lib/, pkgs/) and
// evaluating a configuration with it.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval"
)

// defaultConfigFile is the configuration frazil rebuild evaluates when
// neither --file nor -I nixos-config= names one.
const defaultConfigFile = "/etc/frazil/configuration.nix"

// listFlag is a repeatable string flag (-I).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// sysOpts are the flags of the verbs that evaluate a system configuration.
type sysOpts struct {
	file      string
	search    listFlag
	system    string
	showTrace bool
	root      string // Frazil's Nix code, once found
}

func (o *sysOpts) register(fs *flag.FlagSet) {
	fs.StringVar(&o.file, "file", "", "the configuration (default: -I nixos-config=…, else "+defaultConfigFile+")")
	fs.StringVar(&o.file, "f", "", "short for --file")
	fs.Var(&o.search, "I", "add a search path entry NAME=PATH or PATH (frazil=PATH: Frazil's Nix code)")
	fs.StringVar(&o.system, "system", "", "the platform to build for: x86_64-linux, aarch64-linux or i686-linux (default: nixpkgs.hostPlatform)")
	fs.BoolVar(&o.showTrace, "show-trace", false, "show the evaluation's trace on errors")
}

// searchPath is -I followed by NIX_PATH's entries.
func (o *sysOpts) searchPath() []string {
	search := append([]string(nil), o.search...)
	if np := os.Getenv("NIX_PATH"); np != "" {
		search = append(search, splitNixPath(np)...)
	}
	return search
}

// configFile returns the absolute path of the configuration.
func (o *sysOpts) configFile() (string, error) {
	f := o.file
	if f == "" {
		if p, ok := eval.FindFile(o.searchPath(), "nixos-config"); ok {
			f = p
		} else {
			f = defaultConfigFile
		}
	}
	abs, err := filepath.Abs(f)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("configuration: %w", err)
	}
	return abs, nil
}

// frazilRoot finds the directory holding Frazil's modules/ and lib/: the
// search path's frazil= entry, else the executable's directory or one of
// its parents (or their share/frazil), else the working directory or one
// of its parents.
func frazilRoot(search []string) (string, error) {
	if p, ok := eval.FindFile(search, "frazil"); ok {
		if isFrazilRoot(p) {
			return p, nil
		}
		return "", fmt.Errorf("-I frazil=%s: no modules/default.nix and lib/default.nix there", p)
	}
	var starts []string
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			starts = append(starts, filepath.Dir(exe))
		}
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, s := range starts {
		for d, i := s, 0; i < 4; d, i = filepath.Dir(d), i+1 {
			for _, c := range []string{d, filepath.Join(d, "share", "frazil")} {
				if isFrazilRoot(c) {
					return c, nil
				}
			}
		}
	}
	return "", errors.New("cannot find Frazil's Nix code (modules/default.nix, lib/default.nix): pass -I frazil=PATH")
}

func isFrazilRoot(dir string) bool {
	for _, f := range []string{"modules/default.nix", "lib/default.nix"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// configExpr is the Nix expression of the evaluated configuration (the
// result of modules/default.nix).
func (o *sysOpts) configExpr(root, file string) string {
	system := "null"
	if o.system != "" {
		system = strconv.Quote(o.system)
	}
	return fmt.Sprintf("(import (/. + %s) { configuration = /. + %s; system = %s; })",
		strconv.Quote(filepath.Join(root, "modules")), strconv.Quote(file), system)
}

// evalConfig evaluates wrap(the configuration's expression, Frazil's root)
// with the given store and returns the evaluator and the value.
func (o *sysOpts) evalConfig(st eval.Store, wrap func(sys, root string) string, stderr io.Writer) (*eval.Evaluator, eval.Value, error) {
	search := o.searchPath()
	root, err := frazilRoot(search)
	if err != nil {
		return nil, nil, err
	}
	o.root = root
	file, err := o.configFile()
	if err != nil {
		return nil, nil, err
	}
	ev := eval.New(eval.Options{Store: st, SearchPath: search, Stderr: stderr})
	prog, err := ev.ParseString(wrap(o.configExpr(root, file), root), "«frazil»", root)
	if err != nil {
		return nil, nil, err
	}
	v, err := ev.Eval(prog)
	if err != nil {
		return nil, nil, err
	}
	v, err = ev.Force(v)
	return ev, v, err
}

// reportEvalError prints an evaluation error as nix-instantiate does and
// returns exitError(1); other errors are returned unchanged. An error the
// module system throws (its message names the option and where it was
// defined) is printed without the place in Frazil's own Nix code it was
// thrown from, unless --show-trace asks for everything.
func (o *sysOpts) reportEvalError(err error, stderr io.Writer) error {
	var ee *eval.Error
	if !errors.As(err, &ee) {
		return err
	}
	if !o.showTrace && ee.Kind == eval.ErrThrow && o.inFrazilCode(ee.Position().File) {
		fmt.Fprintf(stderr, "error: %s\n(use '--show-trace' to see where in Frazil's modules it was raised)\n",
			strings.ReplaceAll(strings.TrimLeft(ee.Msg, "\n"), "\n", "\n       "))
		return exitError(1)
	}
	fmt.Fprint(stderr, ee.Format(o.showTrace))
	return exitError(1)
}

// inFrazilCode reports whether file is part of Frazil's lib/ or modules/.
func (o *sysOpts) inFrazilCode(file string) bool {
	if o.root == "" || file == "" {
		return false
	}
	for _, d := range []string{"lib", "modules"} {
		if strings.HasPrefix(file, filepath.Join(o.root, d)+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
