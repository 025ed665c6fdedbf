package main

// frazil instantiate: nix-instantiate's command line on Frazil's
// evaluator. See docs/cli.md.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/eval/storeadapter"
	"github.com/frazil/frazil/eval/syntax"
)

// instantiateOpts are nix-instantiate's flags.
type instantiateOpts struct {
	exprs     bool // -E: arguments are expressions
	evalOnly  bool
	parseOnly bool
	strict    bool
	json, xml bool
	location  bool
	showTrace bool
	attrPaths []string
	args      []autoArg
	search    []string
	store     string
	maxDepth  int
	files     []string
	readWrite bool
	findFile  bool
	lints     syntax.Lints
	system    string
}

func (o *instantiateOpts) setLint(flag, value string) error {
	mode, ok := syntax.ParseLintMode(value)
	if !ok {
		return fmt.Errorf("invalid value '%s' for '%s' (want warn or fatal)", value, flag)
	}
	switch flag {
	case "--lint-absolute-path-literals":
		o.lints.AbsolutePath = mode
	case "--lint-short-path-literals":
		o.lints.ShortPath = mode
	default:
		o.lints.URL = mode
	}
	return nil
}

type autoArg struct {
	name, value string
	isString    bool
}

func parseInstantiateArgs(argv []string) (*instantiateOpts, error) {
	o := &instantiateOpts{location: true}
	need := func(i *int, n int, flag string) ([]string, error) {
		if *i+n >= len(argv) {
			return nil, fmt.Errorf("flag '%s' requires %d argument(s)", flag, n)
		}
		vals := argv[*i+1 : *i+1+n]
		*i += n
		return vals, nil
	}
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		var vals []string
		var err error
		switch a {
		case "-E", "--expr":
			o.exprs = true
		case "--eval", "--eval-only":
			o.evalOnly = true
		case "--parse", "--parse-only":
			o.parseOnly = true
		case "--strict":
			o.strict = true
		case "--json":
			o.json = true
		case "--xml":
			o.xml = true
		case "--no-location":
			o.location = false
		case "--show-trace":
			o.showTrace = true
		case "--no-show-trace":
			o.showTrace = false
		case "--read-write-mode":
			o.readWrite = true
		case "--readonly-mode", "--impure", "--pure-eval", "--indirect", "--dry-run", "--quiet", "-Q", "--no-build-output":
		case "--find-file":
			o.findFile = true
		case "-A", "--attr":
			if vals, err = need(&i, 1, a); err == nil {
				o.attrPaths = append(o.attrPaths, vals[0])
			}
		case "--arg", "--argstr":
			if vals, err = need(&i, 2, a); err == nil {
				o.args = append(o.args, autoArg{name: vals[0], value: vals[1], isString: a == "--argstr"})
			}
		case "-I", "--include":
			if vals, err = need(&i, 1, a); err == nil {
				o.search = append(o.search, vals[0])
			}
		case "--store":
			if vals, err = need(&i, 1, a); err == nil {
				o.store = vals[0]
			}
		case "--max-call-depth":
			if vals, err = need(&i, 1, a); err == nil {
				o.maxDepth, err = strconv.Atoi(vals[0])
			}
		case "--lint-absolute-path-literals", "--lint-short-path-literals", "--lint-url-literals":
			if vals, err = need(&i, 1, a); err == nil {
				err = o.setLint(a, vals[0])
			}
		case "--system":
			if vals, err = need(&i, 1, a); err == nil {
				o.system = vals[0]
			}
		case "--add-root":
			_, err = need(&i, 1, a)
		case "--option":
			_, err = need(&i, 2, a)
		default:
			if strings.HasPrefix(a, "-") && a != "-" {
				return nil, fmt.Errorf("unrecognised flag '%s'", a)
			}
			o.files = append(o.files, a)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(o.attrPaths) == 0 {
		o.attrPaths = []string{""}
	}
	return o, nil
}

func runInstantiate(argv []string) error {
	tuneGC()
	o, err := parseInstantiateArgs(argv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\nTry 'frazil instantiate --help' for more information.\n", err)
		return exitError(1)
	}
	if prof := os.Getenv("FRAZIL_CPUPROFILE"); prof != "" {
		// A debugging aid for evaluator performance work.
		if f, err := os.Create(prof); err == nil {
			pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	if prof := os.Getenv("FRAZIL_MEMPROFILE"); prof != "" {
		defer func() {
			if f, err := os.Create(prof); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	code := instantiate(o, os.Stdin, os.Stdout, os.Stderr)
	if code != 0 {
		return exitError(code)
	}
	return nil
}

// instantiate runs nix-instantiate's main loop and returns the exit
// status; errors are reported on stderr as Nix reports them.
func instantiate(o *instantiateOpts, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	search := append([]string(nil), o.search...)
	if np := os.Getenv("NIX_PATH"); np != "" {
		search = append(search, splitNixPath(np)...)
	}
	opts := eval.Options{SearchPath: search, Stderr: stderr, MaxDepth: o.maxDepth, Lints: o.lints, System: o.system}
	fail := func(err error) int {
		out.Flush()
		var ee *eval.Error
		if errors.As(err, &ee) {
			fmt.Fprint(stderr, ee.Format(o.showTrace))
		} else {
			fmt.Fprintf(stderr, "error: %v\n", err)
		}
		return 1
	}
	root := o.store
	if root == "" {
		root = "/"
	}
	if (o.evalOnly || o.parseOnly) && !o.readWrite {
		// Like nix-instantiate --eval: compute store paths, write nothing.
		opts.Store = &eval.ComputeStore{Root: root}
	} else {
		s, err := storeadapter.Open(root)
		if err != nil {
			return fail(err)
		}
		defer s.Close()
		opts.Store = s
	}
	ev := eval.New(opts)
	if o.findFile {
		for _, f := range o.files {
			p, ok := eval.FindFile(search, f)
			if !ok {
				return fail(fmt.Errorf("file '%s' was not found in the Nix search path (add it using $NIX_PATH or -I)", f))
			}
			fmt.Fprintln(out, p)
		}
		return 0
	}
	progs, err := loadPrograms(ev, o, stdin)
	if err != nil {
		return fail(err)
	}
	autoArgs, err := buildAutoArgs(ev, o)
	if err != nil {
		return fail(err)
	}
	for _, p := range progs {
		if o.parseOnly {
			fmt.Fprintln(out, p.String())
			continue
		}
		if err := processExpr(ev, o, p, autoArgs, out, stderr); err != nil {
			return fail(err)
		}
	}
	return 0
}

func splitNixPath(s string) []string {
	var out []string
	for _, e := range strings.Split(s, ":") {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// loadPrograms parses the expressions, files or standard input.
func loadPrograms(ev *eval.Evaluator, o *instantiateOpts, stdin io.Reader) ([]*eval.Program, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	var progs []*eval.Program
	if o.exprs {
		for _, e := range o.files {
			p, err := ev.ParseString(e, "«string»", cwd)
			if err != nil {
				return nil, err
			}
			progs = append(progs, p)
		}
		return progs, nil
	}
	files := o.files
	if len(files) == 0 {
		files = []string{"./default.nix"}
		if o.parseOnly || o.readStdin() {
			files = []string{"-"}
		}
	}
	for _, f := range files {
		var p *eval.Program
		switch {
		case f == "-":
			src, err := io.ReadAll(stdin)
			if err != nil {
				return nil, err
			}
			p, err = ev.ParseString(string(src), "«stdin»", cwd)
			if err != nil {
				return nil, err
			}
		case strings.HasPrefix(f, "<") && strings.HasSuffix(f, ">"):
			found, ok := eval.FindFile(ev.SearchPath(), f[1:len(f)-1])
			if !ok {
				return nil, fmt.Errorf("file '%s' was not found in the Nix search path (add it using $NIX_PATH or -I)", f[1:len(f)-1])
			}
			if p, err = ev.ParseFile(found); err != nil {
				return nil, err
			}
		default:
			if !filepath.IsAbs(f) {
				f = filepath.Join(cwd, f)
			}
			if p, err = ev.ParseFile(f); err != nil {
				return nil, err
			}
		}
		progs = append(progs, p)
	}
	return progs, nil
}

func (o *instantiateOpts) readStdin() bool { return false }

// buildAutoArgs evaluates --arg expressions (lazily) and --argstr strings.
func buildAutoArgs(ev *eval.Evaluator, o *instantiateOpts) (*eval.Attrs, error) {
	cwd, _ := os.Getwd()
	vals := map[string]eval.Value{}
	for _, a := range o.args {
		if a.isString {
			vals[a.name] = eval.NewString(a.value)
			continue
		}
		p, err := ev.ParseString(a.value, "«string»", cwd)
		if err != nil {
			return nil, err
		}
		vals[a.name] = ev.Lazy(p)
	}
	return eval.NewArgs(vals), nil
}

// processExpr evaluates one expression for every -A path and prints the
// result (--eval) or writes its derivations and prints their paths.
func processExpr(ev *eval.Evaluator, o *instantiateOpts, p *eval.Program, autoArgs *eval.Attrs, out *bufio.Writer, stderr io.Writer) error {
	root, err := ev.Eval(p)
	if err != nil {
		return err
	}
	for _, path := range o.attrPaths {
		v, err := ev.SelectPath(root, path, autoArgs)
		if err != nil {
			return err
		}
		if !o.evalOnly {
			drvs, err := ev.Instantiate(v, autoArgs)
			if err != nil {
				return err
			}
			if len(drvs) > 0 {
				fmt.Fprintln(stderr, "warning: you did not specify '--add-root'; the result might be removed by the garbage collector")
			}
			for _, d := range drvs {
				fmt.Fprintln(out, d)
			}
			continue
		}
		if autoArgs.Len() > 0 {
			if v, err = ev.AutoCall(v, autoArgs); err != nil {
				return err
			}
		}
		var s string
		switch {
		case o.xml:
			s, err = ev.XML(v, o.strict, o.location)
		case o.json:
			s, err = ev.JSON(v)
		default:
			if o.strict {
				if err = ev.ForceDeep(v); err != nil {
					return err
				}
			}
			s, err = ev.Print(v)
			s += "\n"
		}
		if err != nil {
			return err
		}
		out.WriteString(s)
	}
	return nil
}
