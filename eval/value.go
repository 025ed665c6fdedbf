package eval

// This file defines the values of the Nix language.

import (
	"sort"
	"strings"
	"unsafe"

	"github.com/frazil/frazil/eval/syntax"
)

// Value is a Nix value. The concrete types are:
//
//	Int         integer (int64)                      "int"
//	Float       floating point (float64)             "float"
//	Bool        true or false                        "bool"
//	Null        null                                 "null"
//	*String     string with its context              "string"
//	Path        absolute path                        "path"
//	*List       list                                 "list"
//	*Attrs      attribute set                        "set"
//	*Closure    lambda with its environment          "lambda"
//	*Builtin    primitive operation                  "lambda"
//	*PartialApp builtin applied to too few arguments "lambda"
//	*Thunk      delayed computation                  (never seen after forcing)
//
// Scalars are named basic types, containers are pointers. Go's nil is
// never a Value. Values are immutable once built, except that a *Thunk
// is replaced by its result when forced.
type Value interface {
	// TypeName returns the type as builtins.typeOf names it.
	TypeName() string
	// asExpr returns the value as an expression evaluating to it.
	asExpr() expr
}

// Int is a Nix integer.
type Int int64

// Float is a Nix floating-point number.
type Float float64

// Bool is a Nix Boolean.
type Bool bool

// Null is the type of the null value.
type Null struct{}

// Path is an absolute, canonical file system path.
type Path string

// String is a Nix string: bytes plus the context of store paths it
// refers to.
type String struct {
	s   string
	ctx *Context
}

// List is a Nix list. Its elements may be thunks.
type List struct {
	elems []Value
}

// Closure is a lambda together with the environment it was created in.
type Closure struct {
	lam *lambdaNode
	env *Env
}

// Builtin is a primitive operation taking Arity arguments.
type Builtin struct {
	Name  string
	Arity int
	fn    builtinFunc
}

// PartialApp is a builtin applied to fewer arguments than it takes.
type PartialApp struct {
	fn   *Builtin
	args []Value
}

// Thunk is a delayed computation: an expression and its environment,
// replaced by the expression's value when forced. It is two words: env
// says the state (an environment or noEnv: pending; blackholeEnv: being
// evaluated; nil: done) and u holds the expression, then the value
// (every value is an expression that evaluates to itself).
type Thunk struct {
	env *Env
	u   expr
}

// Sentinel environments marking thunk states.
var (
	noEnv        = &Env{} // pending, with no environment
	blackholeEnv = &Env{} // being evaluated
)

// newThunk returns a pending thunk for x in env.
func newThunk(x expr, env *Env) *Thunk {
	if env == nil {
		env = noEnv
	}
	return &Thunk{env: env, u: x}
}

// done reports whether the thunk has been evaluated.
func (t *Thunk) done() bool { return t.env == nil }

// value returns the value of an evaluated thunk.
func (t *Thunk) value() Value { return t.u.eval(nil, nil) }

// evaluating reports whether the thunk is being evaluated.
func (t *Thunk) evaluating() bool { return t.env == blackholeEnv }

var (
	_ Value = Int(0)
	_ Value = Float(0)
	_ Value = Bool(false)
	_ Value = Null{}
	_ Value = Path("")
	_ Value = (*String)(nil)
	_ Value = (*List)(nil)
	_ Value = (*Attrs)(nil)
	_ Value = (*Closure)(nil)
	_ Value = (*Builtin)(nil)
	_ Value = (*PartialApp)(nil)
	_ Value = (*Thunk)(nil)
)

func (Int) TypeName() string         { return "int" }
func (Float) TypeName() string       { return "float" }
func (Bool) TypeName() string        { return "bool" }
func (Null) TypeName() string        { return "null" }
func (Path) TypeName() string        { return "path" }
func (*String) TypeName() string     { return "string" }
func (*List) TypeName() string       { return "list" }
func (*Attrs) TypeName() string      { return "set" }
func (*Closure) TypeName() string    { return "lambda" }
func (*Builtin) TypeName() string    { return "lambda" }
func (*PartialApp) TypeName() string { return "lambda" }
func (*Thunk) TypeName() string      { return "thunk" }

// Values are expressions that evaluate to themselves, so that a thunk
// can hold its code and later its value in one field.

func (v Int) eval(*Evaluator, *Env) Value         { return v }
func (v Float) eval(*Evaluator, *Env) Value       { return v }
func (v Bool) eval(*Evaluator, *Env) Value        { return v }
func (v Null) eval(*Evaluator, *Env) Value        { return v }
func (v Path) eval(*Evaluator, *Env) Value        { return v }
func (v *String) eval(*Evaluator, *Env) Value     { return v }
func (v *List) eval(*Evaluator, *Env) Value       { return v }
func (v *Attrs) eval(*Evaluator, *Env) Value      { return v }
func (v *Closure) eval(*Evaluator, *Env) Value    { return v }
func (v *Builtin) eval(*Evaluator, *Env) Value    { return v }
func (v *PartialApp) eval(*Evaluator, *Env) Value { return v }
func (t *Thunk) eval(ev *Evaluator, _ *Env) Value { return ev.forceThunk(t) }

func (Int) pos() syntax.Pos         { return syntax.NoPos }
func (Float) pos() syntax.Pos       { return syntax.NoPos }
func (Bool) pos() syntax.Pos        { return syntax.NoPos }
func (Null) pos() syntax.Pos        { return syntax.NoPos }
func (Path) pos() syntax.Pos        { return syntax.NoPos }
func (*String) pos() syntax.Pos     { return syntax.NoPos }
func (*List) pos() syntax.Pos       { return syntax.NoPos }
func (*Attrs) pos() syntax.Pos      { return syntax.NoPos }
func (*Closure) pos() syntax.Pos    { return syntax.NoPos }
func (*Builtin) pos() syntax.Pos    { return syntax.NoPos }
func (*PartialApp) pos() syntax.Pos { return syntax.NoPos }
func (*Thunk) pos() syntax.Pos      { return syntax.NoPos }

func (v Int) asExpr() expr         { return v }
func (v Float) asExpr() expr       { return v }
func (v Bool) asExpr() expr        { return v }
func (v Null) asExpr() expr        { return v }
func (v Path) asExpr() expr        { return v }
func (v *String) asExpr() expr     { return v }
func (v *List) asExpr() expr       { return v }
func (v *Attrs) asExpr() expr      { return v }
func (v *Closure) asExpr() expr    { return v }
func (v *Builtin) asExpr() expr    { return v }
func (v *PartialApp) asExpr() expr { return v }
func (t *Thunk) asExpr() expr      { return t }

// Frequently used constant values.
var (
	True        Value = Bool(true)
	False       Value = Bool(false)
	emptyString       = &String{}
	emptyList         = &List{}
	emptyAttrs        = &Attrs{}
)

// NewString returns a string without context.
func NewString(s string) *String {
	if s == "" {
		return emptyString
	}
	return &String{s: s}
}

// NewStringContext returns a string with a context.
func NewStringContext(s string, ctx *Context) *String {
	if ctx.Len() == 0 {
		return NewString(s)
	}
	return &String{s: s, ctx: ctx}
}

// Str returns the string's bytes.
func (s *String) Str() string { return s.s }

// Context returns the string's context (nil if it has none).
func (s *String) Context() *Context { return s.ctx }

// NewList returns a list of the given elements (which it keeps).
func NewList(elems []Value) *List {
	if len(elems) == 0 {
		return emptyList
	}
	return &List{elems: elems}
}

// listArr is a list allocated together with its elements.
type listArr[A any] struct {
	List
	arr A
}

func allocList[A any](n int) *List {
	x := &listArr[A]{}
	x.elems = unsafe.Slice((*Value)(unsafe.Pointer(&x.arr)), n)
	return &x.List
}

// newListOfLen returns a list of n elements to be filled in; small lists
// are one allocation. n must be positive.
func newListOfLen(n int) *List {
	switch {
	case n == 1:
		return allocList[[1]Value](n)
	case n == 2:
		return allocList[[2]Value](n)
	case n == 3:
		return allocList[[3]Value](n)
	case n == 4:
		return allocList[[4]Value](n)
	case n <= 6:
		return allocList[[6]Value](n)
	case n <= 8:
		return allocList[[8]Value](n)
	}
	return &List{elems: make([]Value, n)}
}

// Len returns the number of elements.
func (l *List) Len() int { return len(l.elems) }

// Elems returns the elements, which may be thunks. Callers must not
// modify the slice.
func (l *List) Elems() []Value { return l.elems }

// Bool returns the Bool for b.
func boolValue(b bool) Value {
	if b {
		return True
	}
	return False
}

// showType describes v's type for error messages, as Nix does.
func showType(v Value) string {
	switch v := v.(type) {
	case Int:
		return "an integer"
	case Float:
		return "a float"
	case Bool:
		return "a Boolean"
	case Null:
		return "null"
	case *String:
		if v.ctx.Len() > 0 {
			return "a string with context"
		}
		return "a string"
	case Path:
		return "a path"
	case *List:
		return "a list"
	case *Attrs:
		return "a set"
	case *Closure:
		return "a function"
	case *Builtin:
		return "the built-in function '" + v.Name + "'"
	case *PartialApp:
		return "the partially applied built-in function '" + v.fn.Name + "'"
	case *Thunk:
		return "a thunk"
	}
	return "an unknown value"
}

// Context is the set of store paths a string refers to, each encoded as
// Nix encodes it: "/nix/store/…" for a path, "=/nix/store/….drv" for a
// derivation with all its outputs, "!out!/nix/store/….drv" for one
// output of a derivation. The elements are sorted and distinct. A nil
// *Context is empty.
type Context struct {
	elems []string
}

// NewContext returns a context holding the given elements.
func NewContext(elems ...string) *Context {
	if len(elems) == 0 {
		return nil
	}
	e := append([]string(nil), elems...)
	sort.Strings(e)
	out := e[:1]
	for _, s := range e[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return &Context{elems: out}
}

// Len returns the number of elements.
func (c *Context) Len() int {
	if c == nil {
		return 0
	}
	return len(c.elems)
}

// Elems returns the sorted elements.
func (c *Context) Elems() []string {
	if c == nil {
		return nil
	}
	return c.elems
}

// union returns the union of two contexts.
func (c *Context) union(d *Context) *Context {
	switch {
	case c.Len() == 0:
		return d
	case d.Len() == 0 || c == d:
		return c
	}
	out := make([]string, 0, len(c.elems)+len(d.elems))
	i, j := 0, 0
	for i < len(c.elems) && j < len(d.elems) {
		switch cmp := strings.Compare(c.elems[i], d.elems[j]); {
		case cmp < 0:
			out = append(out, c.elems[i])
			i++
		case cmp > 0:
			out = append(out, d.elems[j])
			j++
		default:
			out = append(out, c.elems[i])
			i++
			j++
		}
	}
	out = append(out, c.elems[i:]...)
	out = append(out, d.elems[j:]...)
	return &Context{elems: out}
}

// contextBuilder accumulates a context from many strings cheaply.
type contextBuilder struct {
	ctx *Context
}

func (b *contextBuilder) add(c *Context) { b.ctx = b.ctx.union(c) }
