package eval

// This file defines the builtins for control flow, errors, debugging and
// importing files.

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/eval/syntax"
)

func primThrow(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	msg := ev.coerceToString(pos, args[0], &cb, false, false)
	ev.errorf(ErrThrow, pos, "%s", msg)
	return nil
}

func primAbort(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	msg := ev.coerceToString(pos, args[0], &cb, false, false)
	ev.errorf(ErrAbort, pos, "evaluation aborted with the following error message: '%s'", msg)
	return nil
}

func primTryEval(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var v Value
	ev.tryDepth++
	err := ev.try(func() { v = ev.force(args[0]) })
	ev.tryDepth--
	if err != nil {
		if e, ok := err.(*Error); ok && (e.Kind == ErrThrow || e.Kind == ErrAssert) {
			return NewAttrs([]Attr{{Name: symSuccess, Value: False}, {Name: symValue, Value: False}})
		}
		panic(err)
	}
	return NewAttrs([]Attr{{Name: symSuccess, Value: True}, {Name: symValue, Value: v}})
}

func primSeq(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.force(args[0])
	return args[1]
}

func primDeepSeq(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.forceDeep(args[0], pos)
	return args[1]
}

func primTrace(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	v := ev.force(args[0])
	if s, ok := v.(*String); ok {
		fmt.Fprintf(ev.opts.Stderr, "trace: %s\n", s.s)
	} else {
		fmt.Fprintf(ev.opts.Stderr, "trace: %s\n", ev.printValue(v))
	}
	return args[1]
}

func primTraceVerbose(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return args[1]
}

func primWarn(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	msg := ev.forceString(args[0], pos)
	fmt.Fprintf(ev.opts.Stderr, "evaluation warning: %s\n", msg.s)
	return args[1]
}

func primAddErrorContext(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.frames = append(ev.frames, frame{kind: frameContext, pos: syntax.NoPos, ref: args[0]})
	v := ev.force(args[1])
	ev.pop()
	return v
}

func primBreak(ev *Evaluator, pos syntax.Pos, args []Value) Value { return args[0] }

func primImport(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	p := ev.coerceToPath(pos, args[0], &cb)
	ev.checkNoOutputs(pos, cb.ctx, p)
	return ev.importFile(p, pos)
}

// checkNoOutputs rejects import from derivation: the evaluator does not
// build.
func (ev *Evaluator) checkNoOutputs(pos syntax.Pos, ctx *Context, p string) {
	for _, c := range ctx.Elems() {
		if c[0] == '!' || c[0] == '=' {
			ev.errorf(ErrEval, pos, "cannot read '%s': building derivations during evaluation (import from derivation) is not supported", p)
		}
	}
}

// resolveImport adds /default.nix to a directory.
func resolveImport(p string) string {
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		return filepath.Join(p, "default.nix")
	}
	return p
}

// importFile evaluates a file, once per file.
func (ev *Evaluator) importFile(p string, pos syntax.Pos) Value {
	p = resolveImport(p)
	if v, ok := ev.files[p]; ok {
		return ev.force(v)
	}
	x := ev.parseFileOrRaise(p, pos, nil)
	t := newThunk(x, nil)
	ev.files[p] = t
	ev.pushMsg(pos, "while evaluating the file '"+p+"'")
	v := ev.forceThunk(t)
	ev.pop()
	return v
}

// parseFileOrRaise parses and compiles a file, raising errors.
func (ev *Evaluator) parseFileOrRaise(p string, pos syntax.Pos, sc *scope) expr {
	if sc == nil {
		if x, ok := ev.parsed[p]; ok {
			return x
		}
	}
	src, err := os.ReadFile(p)
	if err != nil {
		ev.fileError(pos, "reading", p, err)
	}
	x, err := ev.parseAndCompile(p, src, filepath.Dir(p), sc)
	if err != nil {
		ev.raiseParseError(err)
	}
	if sc == nil {
		ev.parsed[p] = x
	}
	return x
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func (ev *Evaluator) raiseParseError(err error) {
	if se, ok := err.(*syntax.Error); ok {
		ev.raise(&Error{Kind: ErrParse, Msg: se.Msg, Pos: se.At})
	}
	ev.raise(&Error{Kind: ErrParse, Msg: err.Error()})
}

// parseAndCompile parses source and compiles it in the base scope (or
// sc, for scopedImport).
func (ev *Evaluator) parseAndCompile(name string, src []byte, base string, sc *scope) (expr, error) {
	n, f, err := syntax.Parse(ev.fset, name, src, ev.parseOptions(base))
	if err != nil {
		return nil, err
	}
	return ev.compileIn(n, f, sc)
}

func (ev *Evaluator) parseOptions(base string) syntax.Options {
	return syntax.Options{BasePath: base, Home: ev.home(), Lints: ev.opts.Lints,
		Warn: func(pos syntax.Position, msg string) {
			fmt.Fprintf(ev.opts.Stderr, "warning: %s\n       at %s\n", msg, pos)
		}}
}

func (ev *Evaluator) home() string {
	if ev.opts.Pure {
		return ""
	}
	if ev.opts.Home != "" {
		return ev.opts.Home
	}
	return ev.opts.Getenv("HOME")
}

func primScopedImport(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	scopeAttrs := ev.forceAttrs(args[0], pos)
	var cb contextBuilder
	p := resolveImport(ev.coerceToPath(pos, args[1], &cb))
	ev.checkNoOutputs(pos, cb.ctx, p)
	names := scopeAttrs.names()
	if len(names) > maxEnvSize {
		ev.errorf(ErrEval, pos, "too many bindings in the scope of scopedImport (%d)", len(names))
	}
	sc := newScope(nil, names)
	x := ev.parseFileOrRaise(p, pos, sc)
	env := newEnv(nil, len(names))
	for i, a := range scopeAttrs.attrs {
		env.set(i, a.Value)
	}
	return x.eval(ev, env)
}
