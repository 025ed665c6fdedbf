package build

// This file defines the evaluation half of a build: from a file or an
// expression, attribute paths and arguments to derivation paths.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// Arg is a --arg (a Nix expression) or --argstr (a string) argument.
type Arg struct {
	Name, Value string
	IsString    bool
}

// Expr says what to evaluate.
type Expr struct {
	File  string   // a file, or a directory holding default.nix; "" with Expr unset: ./default.nix
	Expr  string   // an expression (-E); takes the place of File
	Attrs []string // attribute paths (-A); none means the whole value
	Args  []Arg
	// System is passed as the argument "system" to a top-level function
	// that takes one (--system).
	System     string
	SearchPath []string  // -I entries and NIX_PATH's
	ShowTrace  bool      // error traces
	Stderr     io.Writer // builtins.trace and warnings (default os.Stderr)
}

// Instantiate evaluates e and writes the derivations it yields into s,
// returning their paths in order.
func Instantiate(s *store.Store, e *Expr) ([]storepath.Path, error) {
	stderr := e.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	ev := eval.New(eval.Options{Store: &StoreAdapter{Store: s}, SearchPath: e.SearchPath, Stderr: stderr})
	drvs, err := instantiate(ev, e)
	var ee *eval.Error
	if errors.As(err, &ee) {
		return nil, &EvalError{Msg: ee.Format(e.ShowTrace)}
	}
	return drvs, err
}

// EvalError is an evaluation error, formatted as Nix prints it.
type EvalError struct{ Msg string }

func (e *EvalError) Error() string { return e.Msg }

func instantiate(ev *eval.Evaluator, e *Expr) ([]storepath.Path, error) {
	prog, err := parse(ev, e)
	if err != nil {
		return nil, err
	}
	root, err := ev.Eval(prog)
	if err != nil {
		return nil, err
	}
	args, err := autoArgs(ev, e)
	if err != nil {
		return nil, err
	}
	attrs := e.Attrs
	if len(attrs) == 0 {
		attrs = []string{""}
	}
	var out []storepath.Path
	for _, a := range attrs {
		v, err := ev.SelectPath(root, a, args)
		if err != nil {
			return nil, err
		}
		drvs, err := ev.Instantiate(v, args)
		if err != nil {
			return nil, err
		}
		if len(drvs) == 0 {
			return nil, fmt.Errorf("attribute path '%s' yields no derivation", a)
		}
		for _, d := range drvs {
			out = append(out, storepath.Path(d))
		}
	}
	return out, nil
}

func parse(ev *eval.Evaluator, e *Expr) (*eval.Program, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if e.Expr != "" {
		return ev.ParseString(e.Expr, "«string»", cwd)
	}
	f := e.File
	if f == "" {
		f = "default.nix"
	}
	if len(f) > 2 && f[0] == '<' && f[len(f)-1] == '>' {
		found, ok := eval.FindFile(ev.SearchPath(), f[1:len(f)-1])
		if !ok {
			return nil, fmt.Errorf("file '%s' was not found in the Nix search path (add it using $NIX_PATH or -I)", f[1:len(f)-1])
		}
		f = found
	}
	if !filepath.IsAbs(f) {
		f = filepath.Join(cwd, f)
	}
	return ev.ParseFile(f)
}

// autoArgs makes the arguments top-level functions are called with.
func autoArgs(ev *eval.Evaluator, e *Expr) (*eval.Attrs, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	vals := map[string]eval.Value{}
	if e.System != "" {
		vals["system"] = eval.NewString(e.System)
	}
	for _, a := range e.Args {
		if a.IsString {
			vals[a.Name] = eval.NewString(a.Value)
			continue
		}
		p, err := ev.ParseString(a.Value, "«string»", cwd)
		if err != nil {
			return nil, err
		}
		vals[a.Name] = ev.Lazy(p)
	}
	return eval.NewArgs(vals), nil
}
