package main

// This file defines the "store" verb: adding, dumping, restoring, querying,
// collecting and verifying a store, after nix-store.

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

type storeSub struct {
	usage string
	run   func(sio *storeIO, args []string) error
}

// storeIO is where a store subcommand reads and writes.
type storeIO struct {
	in   io.Reader
	out  io.Writer
	errw io.Writer
}

// storeSubs is filled in init: the subcommands' flag usage reads it.
var storeSubs map[string]storeSub

func init() {
	storeSubs = map[string]storeSub{
		"add":       {"[--name N] PATH…  add files or trees (like nix-store --add)", storeAdd},
		"add-fixed": {"[--recursive] ALGO PATH…  add with a fixed hash (like nix-store --add-fixed)", storeAddFixed},
		"dump":      {"PATH  write the NAR of PATH to stdout", storeDump},
		"restore":   {"DIR  create DIR from a NAR on stdin", storeRestore},
		"path-info": {"[-r] [--json] PATH…  show what the store records about paths", storePathInfo},
		"query":     {"--references|--referrers|--requisites PATH…  query the reference graph", storeQuery},
		"gc":        {"[--dry-run] [--print-roots|--print-dead]  delete unreachable paths", storeGC},
		"verify":    {"[--check-contents]  check the database against the store", storeVerify},
		"copy":      {"--from URL|--to URL PATH…  copy closures from or to a binary cache", storeCopy},
	}
}

func runStore(args []string) error { return storeMain(args, os.Stdin, os.Stdout, os.Stderr) }

// storeMain runs a store subcommand with the given streams.
func storeMain(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sio := &storeIO{stdin, stdout, stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		storeUsage(stderr)
		return errUsage
	}
	sub, ok := storeSubs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "frazil store: unknown subcommand %q\n", args[0])
		storeUsage(stderr)
		return errUsage
	}
	return sub.run(sio, args[1:])
}

func storeUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: frazil store SUBCOMMAND [--store DIR] [ARGS]\n\nsubcommands:")
	names := make([]string, 0, len(storeSubs))
	for n := range storeSubs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, storeSubs[n].usage)
	}
}

// storeFlags makes a flag set with the common --store flag.
func storeFlags(sio *storeIO, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("frazil store "+name, flag.ContinueOnError)
	fs.SetOutput(sio.errw)
	dir := fs.String("store", "/", "root directory of the store (the store is DIR/nix/store)")
	fs.Usage = func() {
		fmt.Fprintf(sio.errw, "usage: frazil store %s %s\n", name, strings.SplitN(storeSubs[name].usage, "  ", 2)[0])
		fs.PrintDefaults()
	}
	return fs, dir
}

// parseArgs parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func openStoreFlag(dir string) (*store.Store, error) {
	return store.Open(dir)
}

func storeAdd(sio *storeIO, args []string) error {
	fs, dir := storeFlags(sio, "add")
	name := fs.String("name", "", "name of the store path (default: the file's base name)")
	paths, err := parseArgs(fs, args)
	if err != nil || len(paths) == 0 {
		fs.Usage()
		return errUsage
	}
	s, err := openStoreFlag(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, p := range paths {
		info, err := s.AddTree(p, nameFor(p, *name), storepath.Recursive, nil)
		if err != nil {
			return err
		}
		fmt.Fprintln(sio.out, info.Path)
	}
	return nil
}

func nameFor(p, name string) string {
	if name != "" {
		return name
	}
	return filepath.Base(filepath.Clean(p))
}

func storeAddFixed(sio *storeIO, args []string) error {
	fs, dir := storeFlags(sio, "add-fixed")
	recursive := fs.Bool("recursive", false, "hash the NAR serialisation instead of the file's contents")
	name := fs.String("name", "", "name of the store path (default: the file's base name)")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) < 2 {
		fs.Usage()
		return errUsage
	}
	algo, err := nixhash.ParseAlgo(pos[0])
	if err != nil {
		return err
	}
	m := storepath.Flat
	if *recursive {
		m = storepath.Recursive
	}
	s, err := openStoreFlag(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, p := range pos[1:] {
		info, err := s.AddFixed(p, nameFor(p, *name), m, algo)
		if err != nil {
			return err
		}
		fmt.Fprintln(sio.out, info.Path)
	}
	return nil
}

func storeDump(sio *storeIO, args []string) error {
	fs, _ := storeFlags(sio, "dump")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	return nar.DumpPath(sio.out, pos[0])
}

func storeRestore(sio *storeIO, args []string) error {
	fs, _ := storeFlags(sio, "restore")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	return nar.Restore(pos[0], sio.in)
}

// resolvePath turns an argument into a store path: a store path (or a
// file inside one), a path under the store's root, or a symlink leading
// into the store (a result link).
func resolvePath(s *store.Store, arg string) (storepath.Path, error) {
	p := arg
	if !strings.HasPrefix(p, storepath.Dir+"/") {
		real, err := filepath.EvalSymlinks(arg)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		if err != nil {
			return "", err
		}
		p = real
		if rest, ok := strings.CutPrefix(real, filepath.Join(s.Root(), storepath.Dir)+"/"); ok {
			p = storepath.Dir + "/" + rest
		}
	}
	rest, ok := strings.CutPrefix(p, storepath.Dir+"/")
	if !ok {
		return "", fmt.Errorf("path '%s' is not in the Nix store", arg)
	}
	base, _, _ := strings.Cut(rest, "/")
	return storepath.FromBase(base)
}

func resolveAll(s *store.Store, args []string) ([]storepath.Path, error) {
	var out []storepath.Path
	for _, a := range args {
		p, err := resolvePath(s, a)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func storePathInfo(sio *storeIO, args []string) error {
	fs, dir := storeFlags(sio, "path-info")
	recursive := fs.Bool("r", false, "include the closures of the paths")
	asJSON := fs.Bool("json", false, "print JSON like nix path-info --json")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	s, err := openStoreFlag(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	paths, err := resolveAll(s, pos)
	if err != nil {
		return err
	}
	if *recursive {
		if paths, err = s.Closure(paths); err != nil {
			return err
		}
	}
	out := bufio.NewWriter(sio.out)
	defer out.Flush()
	var infos []store.PathInfoJSON
	for _, p := range paths {
		info, err := s.QueryPathInfo(p)
		if err != nil {
			return err
		}
		if *asJSON {
			infos = append(infos, info.JSON())
		} else {
			fmt.Fprintln(out, p)
		}
	}
	if *asJSON {
		if infos == nil {
			infos = []store.PathInfoJSON{}
		}
		return json.NewEncoder(out).Encode(infos)
	}
	return nil
}

func storeQuery(sio *storeIO, args []string) error {
	fs, dir := storeFlags(sio, "query")
	refs := fs.Bool("references", false, "print the paths the arguments refer to")
	referrers := fs.Bool("referrers", false, "print the paths that refer to the arguments")
	requisites := fs.Bool("requisites", false, "print the closures, references before referrers")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) == 0 || countTrue(*refs, *referrers, *requisites) != 1 {
		fs.Usage()
		return errUsage
	}
	s, err := openStoreFlag(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	paths, err := resolveAll(s, pos)
	if err != nil {
		return err
	}
	var result []storepath.Path
	switch {
	case *requisites:
		cl, err := s.Closure(paths)
		if err != nil {
			return err
		}
		result, err = s.TopoSort(cl)
		if err != nil {
			return err
		}
	default:
		set := map[storepath.Path]bool{}
		for _, p := range paths {
			q := s.References
			if *referrers {
				q = s.Referrers
			}
			ps, err := q(p)
			if err != nil {
				return err
			}
			for _, r := range ps {
				if !set[r] {
					set[r] = true
					result = append(result, r)
				}
			}
		}
		sort.Slice(result, func(i, j int) bool { return result[i] < result[j] })
	}
	return printPaths(sio.out, result)
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func printPaths(w io.Writer, ps []storepath.Path) error {
	bw := bufio.NewWriter(w)
	for _, p := range ps {
		fmt.Fprintln(bw, p)
	}
	return bw.Flush()
}

func storeGC(sio *storeIO, args []string) error {
	fs, dir := storeFlags(sio, "gc")
	dry := fs.Bool("dry-run", false, "report what would be deleted, delete nothing")
	printRoots := fs.Bool("print-roots", false, "print the roots (link -> path) and exit")
	printDead := fs.Bool("print-dead", false, "print the paths that would be deleted and exit")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) != 0 || (*printRoots && *printDead) {
		fs.Usage()
		return errUsage
	}
	s, err := openStoreFlag(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	readOnly := *dry || *printRoots || *printDead
	var progress io.Writer
	if !readOnly {
		progress = sio.errw
	}
	res, err := s.GC(store.GCOptions{DryRun: readOnly, Progress: progress})
	if err != nil {
		return err
	}
	switch {
	case *printRoots:
		links := make([]string, 0, len(res.Roots))
		for l := range res.Roots {
			links = append(links, l)
		}
		sort.Strings(links)
		for _, l := range links {
			fmt.Fprintf(sio.out, "%s -> %s\n", l, res.Roots[l])
		}
		for _, p := range res.TempRoots {
			fmt.Fprintf(sio.out, "{temp} -> %s\n", p)
		}
	case *printDead:
		return printPaths(sio.out, res.Dead)
	case *dry:
		printPaths(sio.out, res.Dead)
		fmt.Fprintf(sio.errw, "%d store paths would be deleted, %.2f MiB would be freed\n", len(res.Dead), mib(res.BytesFreed))
	default:
		fmt.Fprintf(sio.errw, "%d store paths deleted, %.2f MiB freed\n", len(res.Deleted), mib(res.BytesFreed))
	}
	return nil
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

func storeVerify(sio *storeIO, args []string) error {
	fs, dir := storeFlags(sio, "verify")
	check := fs.Bool("check-contents", false, "re-hash every valid path's contents")
	pos, err := parseArgs(fs, args)
	if err != nil || len(pos) != 0 {
		fs.Usage()
		return errUsage
	}
	s, err := openStoreFlag(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(sio.errw, "checking path existence…")
	if *check {
		fmt.Fprintln(sio.errw, "checking hashes…")
	}
	rep, err := s.Verify(*check)
	if err != nil {
		return err
	}
	for _, t := range rep.TempRemoved {
		fmt.Fprintf(sio.out, "removed stale temporary entry '%s'\n", t)
	}
	for _, u := range rep.Unregistered {
		fmt.Fprintf(sio.out, "note: '%s' is not a valid path (garbage; gc removes it)\n", u)
	}
	for _, p := range rep.Missing {
		fmt.Fprintf(sio.out, "error: path '%s' is valid but missing from the store\n", p)
	}
	for _, c := range rep.Corrupt {
		fmt.Fprintf(sio.out, "error: %s\n", c)
	}
	for _, d := range rep.Dangling {
		fmt.Fprintf(sio.out, "error: path '%s' refers to '%s', which is not valid\n", d.Path, d.Reference)
	}
	fmt.Fprintf(sio.errw, "%d paths checked\n", rep.Checked)
	if !rep.OK() {
		return exitError(1)
	}
	return nil
}
