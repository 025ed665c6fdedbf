package eval

// This file defines the Evaluator: its options and state, forcing of
// thunks, function calls, and the error machinery (errors are raised by
// panicking with an *Error and recovered at the API boundary and by
// tryEval).

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
	"github.com/frazil/frazil/store/derivation"
)

// Options configure an Evaluator.
type Options struct {
	// Store computes and writes store paths (derivations, toFile, paths
	// copied to the store). Nil means a store that only computes paths.
	Store Store
	// SearchPath is the list of -I entries followed by NIX_PATH's, each
	// "prefix=path" or "path"; <name> paths are looked up in it.
	SearchPath []string
	// System is builtins.currentSystem (default "x86_64-linux").
	System string
	// Home is the home directory used for ~/ paths.
	Home string
	// Pure disables impure builtins (getEnv, currentTime, ~/ paths).
	Pure bool
	// MaxDepth limits the depth of evaluation (calls and thunks being
	// forced); beyond it evaluation fails with "stack overflow". Zero
	// means DefaultMaxDepth.
	MaxDepth int
	// Stderr receives builtins.trace and warning output (default
	// os.Stderr).
	Stderr io.Writer
	// Getenv reads environment variables for builtins.getEnv (default
	// os.Getenv).
	Getenv func(string) string
	// Lints enables checks of literals while parsing.
	Lints syntax.Lints
	// MaxSteps, if positive, limits the number of function calls and
	// thunks evaluated; beyond it evaluation fails. It bounds untrusted
	// or fuzzed input.
	MaxSteps int
}

// DefaultMaxDepth is the default evaluation depth limit.
const DefaultMaxDepth = 100000

// Evaluator evaluates Nix expressions. It is not safe for concurrent use.
type Evaluator struct {
	opts     Options
	fset     *syntax.FileSet
	store    Store
	base     map[string]Value // the names visible everywhere
	builtins *Attrs
	files    map[string]Value // import cache: file -> value
	parsed   map[string]expr  // parse cache: file -> compiled expression

	frames   []frame        // the evaluation stack, for traces
	forcing  []forcingThunk // thunks being forced, reset when an error unwinds
	depth    int
	steps    int     // calls and thunks evaluated, for Options.MaxSteps
	argStack []Value // arguments of the builtin calls in progress
	tryDepth int     // nesting of tryEval: catchable errors skip the trace

	drvHashes  map[string][]byte                 // hashDerivationModulo cache
	regexCache map[string]*regexp.Regexp         // compiled regular expressions
	srcToStore map[string]string                 // host paths already added to the store
	drvs       map[string]*derivation.Derivation // derivations instantiated or read
	pathRefs   map[string][]string               // references of text files added (toFile)
}

// New returns an Evaluator with the given options.
func New(opts Options) *Evaluator {
	if opts.System == "" {
		opts.System = "x86_64-linux"
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Store == nil {
		opts.Store = NewComputeStore()
	}
	ev := &Evaluator{
		opts:       opts,
		fset:       syntax.NewFileSet(),
		store:      opts.Store,
		files:      map[string]Value{},
		parsed:     map[string]expr{},
		drvHashes:  map[string][]byte{},
		regexCache: map[string]*regexp.Regexp{},
		srcToStore: map[string]string{},
		drvs:       map[string]*derivation.Derivation{},
		pathRefs:   map[string][]string{},
	}
	ev.initBuiltins()
	return ev
}

// FileSet returns the file set holding the positions of all parsed code.
func (ev *Evaluator) FileSet() *syntax.FileSet { return ev.fset }

// force returns v evaluated to weak head normal form.
func (ev *Evaluator) force(v Value) Value {
	if t, ok := v.(*Thunk); ok {
		return ev.forceThunk(t)
	}
	return v
}

func (ev *Evaluator) forceThunk(t *Thunk) Value {
	env := t.env
	switch env {
	case nil:
		return t.u.eval(nil, nil)
	case blackholeEnv:
		ev.errorf(ErrRecursion, t.u.pos(), "infinite recursion encountered")
	case noEnv:
		env = nil
	}
	ev.forcing = append(ev.forcing, forcingThunk{t, t.env})
	t.env = blackholeEnv
	ev.depth++
	if ev.depth > ev.opts.MaxDepth {
		ev.stackOverflow(t.u.pos())
	}
	if ev.opts.MaxSteps > 0 {
		ev.countStep(t.u.pos())
	}
	v := t.u.eval(ev, env)
	ev.depth--
	ev.forcing = ev.forcing[:len(ev.forcing)-1]
	t.env, t.u = nil, v.asExpr()
	return v
}

// forcingThunk is a thunk being forced and the environment to restore
// if its evaluation fails.
type forcingThunk struct {
	t   *Thunk
	env *Env
}

func (ev *Evaluator) countStep(pos syntax.Pos) {
	ev.steps++
	if ev.steps > ev.opts.MaxSteps {
		ev.errorf(ErrAbort, pos, "evaluation took more than %d steps", ev.opts.MaxSteps)
	}
}

func (ev *Evaluator) stackOverflow(pos syntax.Pos) {
	ev.errorf(ErrRecursion, pos, "stack overflow (possible infinite recursion)")
}

// enter and leave bound the depth of recursive Go code that walks values
// (printing, deep forcing, comparison).
func (ev *Evaluator) enter(pos syntax.Pos) {
	ev.depth++
	if ev.depth > ev.opts.MaxDepth {
		ev.stackOverflow(pos)
	}
}

func (ev *Evaluator) leave() { ev.depth-- }

// errorf raises an evaluation error at pos.
func (ev *Evaluator) errorf(kind ErrorKind, pos syntax.Pos, format string, args ...any) {
	ev.raise(&Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Pos: pos})
}

// typeError raises the standard "value is X while Y was expected" error.
func (ev *Evaluator) typeError(pos syntax.Pos, v Value, want string) {
	ev.errorf(ErrEval, pos, "expected %s but found %s: %s", want, showType(v), ev.showValueShort(v))
}

// raise panics with e after recording the evaluation trace (unless the
// error is sure to be caught by an enclosing tryEval).
func (ev *Evaluator) raise(e *Error) {
	e.fset = ev.fset
	if ev.tryDepth == 0 || (e.Kind != ErrThrow && e.Kind != ErrAssert) {
		e.trace = ev.traceLines(e.trace)
	}
	panic(e)
}

// traceLines renders the frame stack, innermost first.
func (ev *Evaluator) traceLines(prefix []traceLine) []traceLine {
	out := prefix
	const keep = 64
	n := len(ev.frames)
	for i := n - 1; i >= 0; i-- {
		if n > 2*keep && i < n-keep && i >= keep {
			if i == n-keep-1 {
				out = append(out, traceLine{msg: fmt.Sprintf("(%d frames elided)", n-2*keep)})
			}
			continue
		}
		f := &ev.frames[i]
		switch f.kind {
		case frameCall:
			lam := f.ref.(*lambdaNode)
			if lam.name != "" {
				out = append(out, traceLine{msg: "while calling '" + lam.name + "'", pos: lam.p})
			} else {
				out = append(out, traceLine{msg: "while calling anonymous lambda", pos: lam.p})
			}
			out = append(out, traceLine{msg: "from call site", pos: f.pos})
		case frameBuiltin:
			out = append(out, traceLine{msg: "while calling the '" + f.ref.(*Builtin).Name + "' builtin", pos: f.pos})
		case frameAttr:
			out = append(out, traceLine{msg: "while evaluating the attribute '" + f.name.String() + "'", pos: f.pos})
		case frameContext:
			out = append(out, traceLine{msg: ev.contextMessage(f.ref.(Value)), pos: f.pos})
		case frameMessage:
			out = append(out, traceLine{msg: f.ref.(string), pos: f.pos})
		}
	}
	return out
}

// contextMessage evaluates the message of builtins.addErrorContext
// while an error is being raised; it must not raise in turn.
func (ev *Evaluator) contextMessage(v Value) string {
	var msg string
	err := ev.try(func() {
		var cb contextBuilder
		msg = ev.coerceToString(syntax.NoPos, v, &cb, false, false)
	})
	if err != nil {
		return "«error while evaluating the error context»"
	}
	return msg
}

func (ev *Evaluator) push(f frame) { ev.frames = append(ev.frames, f) }
func (ev *Evaluator) pop()         { ev.frames = ev.frames[:len(ev.frames)-1] }

// pushMsg pushes a fixed trace message.
func (ev *Evaluator) pushMsg(pos syntax.Pos, msg string) {
	ev.frames = append(ev.frames, frame{kind: frameMessage, pos: pos, ref: msg})
}

// savepoint records the stacks so that an unwinding error can restore
// them.
type savepoint struct {
	frames, forcing, depth, tryDepth, args int
}

func (ev *Evaluator) save() savepoint {
	return savepoint{len(ev.frames), len(ev.forcing), ev.depth, ev.tryDepth, len(ev.argStack)}
}

// restore undoes the effects of an error unwinding to sp: thunks that
// were being forced become unevaluated again, so that forcing them later
// re-evaluates them (as Nix does).
func (ev *Evaluator) restore(sp savepoint) {
	for _, f := range ev.forcing[sp.forcing:] {
		f.t.env = f.env
	}
	clear(ev.forcing[sp.forcing:])
	ev.forcing = ev.forcing[:sp.forcing]
	clear(ev.frames[sp.frames:])
	ev.frames = ev.frames[:sp.frames]
	ev.depth = sp.depth
	ev.tryDepth = sp.tryDepth
	clear(ev.argStack[sp.args:])
	ev.argStack = ev.argStack[:sp.args]
}

// try runs f and returns the evaluation error it raised, if any. Go
// runtime panics become ErrInternal errors: no panic escapes.
func (ev *Evaluator) try(f func()) (err error) {
	sp := ev.save()
	defer func() {
		if r := recover(); r != nil {
			ev.restore(sp)
			err = ev.recovered(r)
		}
	}()
	f()
	return nil
}

func (ev *Evaluator) recovered(r any) *Error {
	if e, ok := r.(*Error); ok {
		return e
	}
	return &Error{Kind: ErrInternal, fset: ev.fset,
		Msg: fmt.Sprintf("internal error in the evaluator: %v\n%s", r, debug.Stack())}
}

// applyExpr is the delayed application of a function to an argument
// (the thunks of map, genList, …).
type applyExpr struct {
	fn, arg Value
	p       syntax.Pos
}

// eval applies the function. Once it succeeds the thunk holds the value
// and the application is dropped (it shares the thunk's allocation, so
// it must not keep the function and argument alive).
func (a *applyExpr) eval(ev *Evaluator, _ *Env) Value {
	v := ev.call(a.fn, a.arg, a.p)
	a.fn, a.arg = nil, nil
	return v
}
func (a *applyExpr) pos() syntax.Pos { return a.p }

// lazyApply returns a thunk for fn applied to arg.
func lazyApply(fn, arg Value, pos syntax.Pos) Value {
	// The thunk and its application in one allocation.
	x := &struct {
		t Thunk
		a applyExpr
	}{a: applyExpr{fn: fn, arg: arg, p: pos}}
	x.t = Thunk{env: noEnv, u: &x.a}
	return &x.t
}

// apply2Expr is the delayed application of a function to two arguments.
type apply2Expr struct {
	fn, a, b Value
	p        syntax.Pos
}

func (a *apply2Expr) eval(ev *Evaluator, _ *Env) Value {
	v := ev.call(ev.call(a.fn, a.a, a.p), a.b, a.p)
	a.fn, a.a, a.b = nil, nil, nil
	return v
}
func (a *apply2Expr) pos() syntax.Pos { return a.p }

// lazyApply2 returns a thunk for fn applied to a and b.
func lazyApply2(fn, a, b Value, pos syntax.Pos) Value {
	x := &struct {
		t Thunk
		a apply2Expr
	}{a: apply2Expr{fn: fn, a: a, b: b, p: pos}}
	x.t = Thunk{env: noEnv, u: &x.a}
	return &x.t
}

// call applies fn to one argument and returns the result in weak head
// normal form.
func (ev *Evaluator) call(fn Value, arg Value, pos syntax.Pos) Value {
	fn = ev.force(fn)
	switch f := fn.(type) {
	case *Closure:
		return ev.callClosure(f, arg, pos)
	case *Builtin:
		if f.Arity == 1 {
			base := len(ev.argStack)
			ev.argStack = append(ev.argStack, arg)
			return ev.callBuiltinStack(f, base, pos)
		}
		return &PartialApp{fn: f, args: []Value{arg}}
	case *PartialApp:
		args := make([]Value, len(f.args)+1)
		copy(args, f.args)
		args[len(f.args)] = arg
		if len(args) == f.fn.Arity {
			return ev.callBuiltin(f.fn, args, pos)
		}
		return &PartialApp{fn: f.fn, args: args}
	case *Attrs:
		if functor, ok := f.Get(symFunctor); ok {
			inner := ev.call(functor, f, pos)
			return ev.call(inner, arg, pos)
		}
	}
	ev.errorf(ErrEval, pos, "attempt to call something which is not a function but %s: %s", showType(fn), ev.showValueShort(fn))
	return nil
}

// callN applies fn to several arguments in turn.
func (ev *Evaluator) callN(fn Value, args []Value, pos syntax.Pos) Value {
	for len(args) > 0 {
		fn = ev.force(fn)
		if b, ok := fn.(*Builtin); ok && b.Arity <= len(args) {
			fn = ev.callBuiltin(b, args[:b.Arity], pos)
			args = args[b.Arity:]
			continue
		}
		fn = ev.call(fn, args[0], pos)
		args = args[1:]
	}
	return ev.force(fn)
}

// callBuiltinStack calls b with the arguments on the argument stack from
// base, then pops them. Builtins only read their argument slice, so it
// can live on this stack instead of the heap.
func (ev *Evaluator) callBuiltinStack(b *Builtin, base int, pos syntax.Pos) Value {
	top := len(ev.argStack)
	v := ev.callBuiltin(b, ev.argStack[base:top:top], pos)
	clear(ev.argStack[base:top])
	ev.argStack = ev.argStack[:base]
	return v
}

func (ev *Evaluator) callBuiltin(b *Builtin, args []Value, pos syntax.Pos) Value {
	ev.frames = append(ev.frames, frame{kind: frameBuiltin, pos: pos, ref: b})
	v := b.fn(ev, pos, args)
	if t, ok := v.(*Thunk); ok {
		v = ev.forceThunk(t)
	}
	ev.frames = ev.frames[:len(ev.frames)-1]
	return v
}

// callClosure binds arg to the lambda's parameters and evaluates its body.
func (ev *Evaluator) callClosure(c *Closure, arg Value, pos syntax.Pos) Value {
	return ev.evalBody(c.lam, ev.bindArg(c.lam, c.env, arg, pos), pos)
}

// bindArg makes the environment of a call of lam (created in parent)
// with argument arg.
func (ev *Evaluator) bindArg(lam *lambdaNode, parent *Env, arg Value, pos syntax.Pos) *Env {
	env := newEnv(parent, lam.envSize)
	if !lam.hasFormals {
		env.set(0, arg)
	} else {
		ev.bindFormals(lam, env, arg, pos)
	}
	return env
}

// evalBody evaluates the body of lam in its call environment.
func (ev *Evaluator) evalBody(lam *lambdaNode, env *Env, pos syntax.Pos) Value {
	ev.depth++
	if ev.depth > ev.opts.MaxDepth {
		ev.stackOverflow(pos)
	}
	if ev.opts.MaxSteps > 0 {
		ev.countStep(pos)
	}
	ev.frames = append(ev.frames, frame{kind: frameCall, pos: pos, ref: lam})
	v := lam.body.eval(ev, env)
	ev.frames = ev.frames[:len(ev.frames)-1]
	ev.depth--
	return v
}

// bindFormals matches an argument set against a { a, b ? d, … } pattern.
func (ev *Evaluator) bindFormals(lam *lambdaNode, env *Env, arg Value, pos syntax.Pos) {
	av := ev.force(arg)
	attrs, ok := av.(*Attrs)
	if !ok {
		ev.push(frame{kind: frameCall, pos: pos, ref: lam})
		ev.typeError(lam.p, av, "a set")
	}
	i := 0
	if lam.hasArg {
		env.set(0, av)
		i = 1
	}
	used := 0
	for k := range lam.formals {
		f := &lam.formals[k]
		if v, ok := attrs.Get(f.name); ok {
			env.set(i+k, v)
			used++
		} else if f.def != nil {
			env.set(i+k, ev.lazy(f.def, env))
		} else {
			ev.push(frame{kind: frameCall, pos: pos, ref: lam})
			ev.errorf(ErrEval, lam.p, "%s called without required argument '%s'", lam.describe(), f.name)
		}
	}
	if !lam.ellipsis && used < attrs.Len() {
		for _, a := range attrs.attrs {
			if !lam.hasFormal(a.Name) {
				ev.push(frame{kind: frameCall, pos: pos, ref: lam})
				ev.errorf(ErrEval, lam.p, "%s called with unexpected argument '%s'", lam.describe(), a.Name)
			}
		}
	}
}

func (lam *lambdaNode) describe() string {
	if lam.name != "" {
		return "function '" + lam.name + "'"
	}
	return "function 'anonymous lambda'"
}

func (lam *lambdaNode) hasFormal(name Symbol) bool {
	for i := range lam.formals {
		if lam.formals[i].name == name {
			return true
		}
	}
	return false
}

// Helpers that force a value and check its type.

func (ev *Evaluator) forceAttrs(v Value, pos syntax.Pos) *Attrs {
	v = ev.force(v)
	a, ok := v.(*Attrs)
	if !ok {
		ev.typeError(pos, v, "a set")
	}
	return a
}

func (ev *Evaluator) forceList(v Value, pos syntax.Pos) *List {
	v = ev.force(v)
	l, ok := v.(*List)
	if !ok {
		ev.typeError(pos, v, "a list")
	}
	return l
}

func (ev *Evaluator) forceInt(v Value, pos syntax.Pos) int64 {
	v = ev.force(v)
	i, ok := v.(Int)
	if !ok {
		ev.typeError(pos, v, "an integer")
	}
	return int64(i)
}

func (ev *Evaluator) forceFloat(v Value, pos syntax.Pos) float64 {
	switch v := ev.force(v).(type) {
	case Int:
		return float64(v)
	case Float:
		return float64(v)
	default:
		ev.typeError(pos, v, "a float")
	}
	return 0
}

func (ev *Evaluator) forceBool(v Value, pos syntax.Pos) bool {
	v = ev.force(v)
	b, ok := v.(Bool)
	if !ok {
		ev.typeError(pos, v, "a Boolean")
	}
	return bool(b)
}

func (ev *Evaluator) forceFunction(v Value, pos syntax.Pos) Value {
	v = ev.force(v)
	switch f := v.(type) {
	case *Closure, *Builtin, *PartialApp:
		return v
	case *Attrs:
		if _, ok := f.Get(symFunctor); ok {
			return v
		}
	}
	ev.typeError(pos, v, "a function")
	return nil
}

// forceString forces v to a string (not coercing) and returns it.
func (ev *Evaluator) forceString(v Value, pos syntax.Pos) *String {
	v = ev.force(v)
	s, ok := v.(*String)
	if !ok {
		ev.typeError(pos, v, "a string")
	}
	return s
}

// forceStringNoCtx forces v to a string and rejects a context.
func (ev *Evaluator) forceStringNoCtx(v Value, pos syntax.Pos) string {
	s := ev.forceString(v, pos)
	if s.ctx.Len() > 0 {
		ev.errorf(ErrEval, pos, "the string '%s' is not allowed to refer to a store path (such as '%s')", s.s, strings.TrimLeft(s.ctx.elems[0], "=!"))
	}
	return s.s
}

func isFunction(v Value) bool {
	switch v.(type) {
	case *Closure, *Builtin, *PartialApp:
		return true
	}
	return false
}
