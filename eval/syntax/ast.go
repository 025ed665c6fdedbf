package syntax

// This file defines the abstract syntax tree. Every node records the
// position Nix reports for it in errors and traces.

// Node is an expression of the syntax tree.
type Node interface {
	// Pos returns the node's position.
	Pos() Pos
	node()
}

// IntLit is an integer literal.
type IntLit struct {
	P Pos
	V int64
}

// FloatLit is a floating-point literal.
type FloatLit struct {
	P Pos
	V float64
}

// StringLit is a string without interpolation (also an indented string
// without interpolation, and a URI).
type StringLit struct {
	P   Pos
	V   string
	URI bool // written as a bare URI
}

// PathLit is a path literal without interpolation; V is absolute and
// canonical.
type PathLit struct {
	P Pos
	V string
}

// SearchPath is a <name/sub> path. It means __findFile __nixPath "name/sub".
type SearchPath struct {
	P    Pos
	Path string
}

// Var is a variable reference.
type Var struct {
	P    Pos
	Name string
}

// CurPos is the __curPos keyword.
type CurPos struct{ P Pos }

// AttrName is one element of an attribute path: a static name, or an
// expression (Expr non-nil) for ${…} and interpolated strings.
type AttrName struct {
	P    Pos
	Name string
	Expr Node
}

// Select is e.a.b.c, with an optional `or` default.
type Select struct {
	P       Pos
	E       Node
	Path    []AttrName
	Default Node // nil without `or`
}

// HasAttr is e ? a.b.c.
type HasAttr struct {
	P    Pos
	E    Node
	Path []AttrName
}

// AttrKind says how an attribute was defined.
type AttrKind uint8

// The kinds of attribute definitions.
const (
	AttrPlain         AttrKind = iota // name = value
	AttrInherited                     // inherit name  (Value is a *Var)
	AttrInheritedFrom                 // inherit (e) name (Value is a *Select of an *InheritFrom)
)

// AttrDef is a static attribute definition.
type AttrDef struct {
	P     Pos
	Name  string
	Kind  AttrKind
	Value Node
}

// DynAttr is an attribute whose name is computed: ${e} = value.
type DynAttr struct {
	P     Pos
	Name  Node
	Value Node
}

// InheritFrom stands for the i'th expression of `inherit (e) …` in an
// attribute set or let; it is evaluated once per set.
type InheritFrom struct {
	P     Pos
	Index int
}

// Attrs is an attribute set literal, rec or not; also the bindings of let.
type Attrs struct {
	P           Pos
	Rec         bool
	Attrs       []*AttrDef // in order of definition
	Dynamic     []*DynAttr
	InheritFrom []Node // the e of each `inherit (e)`
}

// Find returns the static attribute named name, or nil.
func (a *Attrs) Find(name string) *AttrDef {
	for _, d := range a.Attrs {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// List is [ e1 e2 … ].
type List struct {
	P     Pos
	Elems []Node
}

// Formal is one argument of a pattern-matching lambda.
type Formal struct {
	P       Pos
	Name    string
	Default Node // nil if required
}

// Formals is the { a, b ? d, … } pattern of a lambda.
type Formals struct {
	Formals  []Formal // in source order
	Ellipsis bool
}

// Lambda is a function: Arg: Body, {formals}: Body or Arg@{formals}: Body.
type Lambda struct {
	P       Pos
	Arg     string   // "" if none
	Formals *Formals // nil for a plain Arg: Body
	Body    Node
	Name    string // the attribute or let binding it is bound to, if any
}

// Call is the application of Fn to one or more arguments.
type Call struct {
	P    Pos
	Fn   Node
	Args []Node
}

// Let is let bindings in body.
type Let struct {
	P     Pos
	Binds *Attrs
	Body  Node
}

// With is with e; body.
type With struct {
	P     Pos
	Attrs Node
	Body  Node
}

// If is if c then a else b.
type If struct {
	P                Pos
	Cond, Then, Else Node
}

// Assert is assert c; body.
type Assert struct {
	P    Pos
	Cond Node
	Body Node
}

// Not is !e.
type Not struct {
	P Pos
	E Node
}

// Neg is -e (Nix's __sub 0 e).
type Neg struct {
	P Pos
	E Node
}

// BinOp is a binary operator: ==, !=, <, >, <=, >=, &&, ||, ->, //, ++,
// +, -, *, /. P is the operator's position.
type BinOp struct {
	P    Pos
	Op   Token
	L, R Node
}

// Interp is string interpolation or an interpolated path: the parts are
// coerced to strings and concatenated. For paths (ForceString false) the
// first part is a *PathLit.
type Interp struct {
	P           Pos
	ForceString bool
	Parts       []Node
}

func (n *IntLit) Pos() Pos      { return n.P }
func (n *FloatLit) Pos() Pos    { return n.P }
func (n *StringLit) Pos() Pos   { return n.P }
func (n *PathLit) Pos() Pos     { return n.P }
func (n *SearchPath) Pos() Pos  { return n.P }
func (n *Var) Pos() Pos         { return n.P }
func (n *CurPos) Pos() Pos      { return n.P }
func (n *Select) Pos() Pos      { return n.P }
func (n *HasAttr) Pos() Pos     { return n.P }
func (n *InheritFrom) Pos() Pos { return n.P }
func (n *Attrs) Pos() Pos       { return n.P }
func (n *List) Pos() Pos        { return n.P }
func (n *Lambda) Pos() Pos      { return n.P }
func (n *Call) Pos() Pos        { return n.P }
func (n *Let) Pos() Pos         { return n.P }
func (n *With) Pos() Pos        { return n.P }
func (n *If) Pos() Pos          { return n.P }
func (n *Assert) Pos() Pos      { return n.P }
func (n *Not) Pos() Pos         { return n.P }
func (n *Neg) Pos() Pos         { return n.P }
func (n *BinOp) Pos() Pos       { return n.P }
func (n *Interp) Pos() Pos      { return n.P }

func (*IntLit) node()      {}
func (*FloatLit) node()    {}
func (*StringLit) node()   {}
func (*PathLit) node()     {}
func (*SearchPath) node()  {}
func (*Var) node()         {}
func (*CurPos) node()      {}
func (*Select) node()      {}
func (*HasAttr) node()     {}
func (*InheritFrom) node() {}
func (*Attrs) node()       {}
func (*List) node()        {}
func (*Lambda) node()      {}
func (*Call) node()        {}
func (*Let) node()         {}
func (*With) node()        {}
func (*If) node()          {}
func (*Assert) node()      {}
func (*Not) node()         {}
func (*Neg) node()         {}
func (*BinOp) node()       {}
func (*Interp) node()      {}
