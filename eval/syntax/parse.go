package syntax

// This file defines the parser: recursive descent for the statement-like
// forms (lambda, let, with, assert, if) and precedence climbing for
// operators, following the precedences of Nix's bison grammar. Errors
// panic with an *Error and are recovered in Parse.

import (
	"fmt"
	"path"
	"strings"
)

// Error is a syntax or scoping error at a source position.
type Error struct {
	Pos Position
	Msg string
	At  Pos // the compact form of Pos, when known
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Options control how a file is parsed.
type Options struct {
	// BasePath is the directory relative path literals are resolved
	// against (the file's directory, or the working directory).
	BasePath string
	// Home is the home directory for ~/ paths; if empty, ~/ paths are an
	// error.
	Home string
	// MaxDepth limits the nesting of expressions (default 5000).
	MaxDepth int
	// Lints enables Nix's optional checks of literals.
	Lints Lints
	// Warn receives lint warnings (nil: they are dropped).
	Warn func(pos Position, msg string)
}

// LintMode says what a lint does when it finds something.
type LintMode uint8

// The lint modes.
const (
	LintOff   LintMode = iota
	LintWarn           // report a warning and go on
	LintFatal          // fail the parse
)

// ParseLintMode parses "warn" or "fatal" (and "off"/"ignore").
func ParseLintMode(s string) (LintMode, bool) {
	switch s {
	case "off", "ignore", "":
		return LintOff, true
	case "warn":
		return LintWarn, true
	case "fatal":
		return LintFatal, true
	}
	return LintOff, false
}

// Lints are the optional checks of literals that newer Nix versions
// offer (--lint-absolute-path-literals and friends).
type Lints struct {
	AbsolutePath LintMode // /abs and ~/home path literals
	ShortPath    LintMode // relative path literals without ./ or ../
	URL          LintMode // unquoted URL literals
}

// lint reports a finding according to mode.
func (p *parser) lint(mode LintMode, off int, msg string) {
	switch mode {
	case LintFatal:
		p.errorf(off, "%s", msg)
	case LintWarn:
		if p.opts.Warn != nil {
			p.opts.Warn(p.file.position(off), msg)
		}
	}
}

// lintPath checks a path literal's spelling.
func (p *parser) lintPath(t token) {
	switch {
	case t.tok == HPATH:
		p.lint(p.opts.Lints.AbsolutePath, t.off, fmt.Sprintf("home path literals are not portable. Consider replacing path literal '%s' by a string, relative path, or parameter (lint-absolute-path-literals)", t.text))
	case strings.HasPrefix(t.text, "/"):
		p.lint(p.opts.Lints.AbsolutePath, t.off, fmt.Sprintf("absolute path literals are not portable. Consider replacing path literal '%s' by a string, relative path, or parameter (lint-absolute-path-literals)", t.text))
	case !strings.HasPrefix(t.text, "./") && !strings.HasPrefix(t.text, "../"):
		p.lint(p.opts.Lints.ShortPath, t.off, fmt.Sprintf("relative path literal '%s' should be prefixed with '.' for clarity: './%s' (lint-short-path-literals)", t.text, t.text))
	}
}

// DefaultMaxDepth is the nesting limit used when Options.MaxDepth is 0.
const DefaultMaxDepth = 5000

type parser struct {
	file  *File
	sc    *scanner
	opts  Options
	buf   []token // lookahead
	depth int
}

// Parse parses src, registered in fset under name, as one Nix expression.
func Parse(fset *FileSet, name string, src []byte, opts Options) (n Node, f *File, err error) {
	f = fset.AddFile(name, src)
	if opts.MaxDepth == 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	p := &parser{file: f, sc: newScanner(f), opts: opts}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			n, err = nil, e
		}
	}()
	n = p.parseExpr()
	if t := p.peek(0); t.tok != EOF {
		p.unexpected(t, "end of file")
	}
	return n, f, nil
}

func (p *parser) peek(i int) token {
	for len(p.buf) <= i {
		p.buf = append(p.buf, p.sc.next())
	}
	return p.buf[i]
}

func (p *parser) next() token {
	t := p.peek(0)
	p.buf = p.buf[1:]
	return t
}

func (p *parser) pos(t token) Pos { return p.file.Pos(t.off) }

func (p *parser) errorf(off int, format string, args ...any) {
	panic(&Error{Pos: p.file.position(off), Msg: fmt.Sprintf(format, args...), At: p.file.Pos(off)})
}

func (p *parser) unexpected(t token, expecting string) {
	what := t.tok.String()
	if t.tok == ILLEGAL {
		what = "invalid token"
	}
	msg := "syntax error, unexpected " + what
	if expecting != "" {
		msg += ", expecting " + expecting
	}
	p.errorf(t.off, "%s", msg)
}

func (p *parser) expect(tok Token, expecting string) token {
	t := p.next()
	if t.tok != tok {
		p.unexpected(t, expecting)
	}
	return t
}

func (p *parser) enter() {
	p.depth++
	if p.depth > p.opts.MaxDepth {
		p.errorf(p.peek(0).off, "expression nested too deeply (more than %d levels)", p.opts.MaxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// parseExpr parses expr_function: lambdas, let, with, assert, if, and
// operator expressions.
func (p *parser) parseExpr() Node {
	p.enter()
	defer p.leave()
	t := p.peek(0)
	switch t.tok {
	case ID:
		switch p.peek(1).tok {
		case COLON:
			p.next()
			p.next()
			return &Lambda{P: p.pos(t), Arg: t.text, Body: p.parseExpr()}
		case AT:
			p.next()
			p.next()
			p.expect(LBRACE, "'{'")
			f := p.parseFormals()
			p.expect(COLON, "':'")
			p.checkFormals(f, t.text, t)
			return &Lambda{P: p.pos(t), Arg: t.text, Formals: f, Body: p.parseExpr()}
		}
	case LBRACE:
		if p.isFormals() {
			p.next()
			f := p.parseFormals()
			arg := ""
			if p.peek(0).tok == AT {
				p.next()
				arg = p.expect(ID, "identifier").text
			}
			p.expect(COLON, "':' or '@'")
			p.checkFormals(f, arg, t)
			return &Lambda{P: p.pos(t), Arg: arg, Formals: f, Body: p.parseExpr()}
		}
	case ASSERT:
		p.next()
		c := p.parseExpr()
		p.expect(SEMI, "';'")
		return &Assert{P: p.pos(t), Cond: c, Body: p.parseExpr()}
	case WITH:
		p.next()
		a := p.parseExpr()
		p.expect(SEMI, "';'")
		return &With{P: p.pos(t), Attrs: a, Body: p.parseExpr()}
	case LET:
		if p.peek(1).tok == LBRACE {
			break
		}
		p.next()
		binds := p.parseBinds(t, IN)
		if len(binds.Dynamic) > 0 {
			p.errorf(p.file.Offset(binds.Dynamic[0].P), "dynamic attributes not allowed in let")
		}
		p.expect(IN, "'in'")
		return &Let{P: p.pos(t), Binds: binds, Body: p.parseExpr()}
	case IF:
		p.next()
		c := p.parseExpr()
		p.expect(THEN, "'then'")
		a := p.parseExpr()
		p.expect(ELSE, "'else'")
		return &If{P: p.pos(t), Cond: c, Then: a, Else: p.parseExpr()}
	}
	return p.parseOp(precLowest)
}

// isFormals decides, at a '{', whether a lambda pattern follows.
func (p *parser) isFormals() bool {
	switch p.peek(1).tok {
	case RBRACE:
		t := p.peek(2).tok
		return t == COLON || t == AT
	case ELLIPSIS:
		return true
	case ID:
		t := p.peek(2).tok
		return t == COMMA || t == QUESTION || t == RBRACE
	}
	return false
}

// parseFormals parses the pattern after '{' up to and including '}'.
func (p *parser) parseFormals() *Formals {
	f := &Formals{}
	for {
		t := p.next()
		switch t.tok {
		case RBRACE:
			return f
		case ELLIPSIS:
			f.Ellipsis = true
			p.expect(RBRACE, "'}'")
			return f
		case ID:
			fm := Formal{P: p.pos(t), Name: t.text}
			if p.peek(0).tok == QUESTION {
				p.next()
				fm.Default = p.parseExpr()
			}
			f.Formals = append(f.Formals, fm)
			switch n := p.next(); n.tok {
			case RBRACE:
				return f
			case COMMA:
			default:
				p.unexpected(n, "'}' or ','")
			}
		default:
			p.unexpected(t, "'}'")
		}
	}
}

func (p *parser) checkFormals(f *Formals, arg string, at token) {
	seen := map[string]bool{}
	for _, fm := range f.Formals {
		if seen[fm.Name] {
			p.errorf(p.file.Offset(fm.P), "duplicate formal function argument '%s'", fm.Name)
		}
		seen[fm.Name] = true
	}
	if arg != "" && seen[arg] {
		p.errorf(at.off, "duplicate formal function argument '%s'", arg)
	}
}

// Operator precedences, lowest first, as in Nix's grammar.
const (
	precLowest = iota
	precImpl   // -> right
	precOr     // || left
	precAnd    // && left
	precEq     // == != nonassoc
	precCmp    // < > <= >= nonassoc
	precUpdate // // right
	precNot    // ! prefix
	precAdd    // + - left
	precMul    // * / left
	precConcat // ++ right
	precHas    // ? nonassoc
	precNeg    // - prefix
)

func binaryPrec(t Token) int {
	switch t {
	case IMPL:
		return precImpl
	case OR:
		return precOr
	case AND:
		return precAnd
	case EQ, NEQ:
		return precEq
	case LT, GT, LEQ, GEQ:
		return precCmp
	case UPDATE:
		return precUpdate
	case PLUS, MINUS:
		return precAdd
	case STAR, SLASH:
		return precMul
	case CONCAT:
		return precConcat
	case QUESTION:
		return precHas
	}
	return -1
}

// parseOp parses an operator expression whose binary operators all have
// precedence of at least min.
func (p *parser) parseOp(min int) Node {
	p.enter()
	defer p.leave()
	var left Node
	switch t := p.peek(0); t.tok {
	case NOT:
		p.next()
		left = &Not{P: p.pos(t), E: p.parseOp(precNot + 1)}
	case MINUS:
		p.next()
		left = &Neg{P: p.pos(t), E: p.parseOp(precNeg + 1)}
	default:
		left = p.parseApp()
	}
	for {
		t := p.peek(0)
		prec := binaryPrec(t.tok)
		if prec < 0 || prec < min {
			return left
		}
		p.next()
		if t.tok == QUESTION {
			left = &HasAttr{P: p.pos(t), E: left, Path: p.parseAttrPath()}
		} else {
			var right Node
			switch t.tok {
			case IMPL, UPDATE, CONCAT:
				right = p.parseOp(prec)
			default:
				right = p.parseOp(prec + 1)
			}
			left = &BinOp{P: p.pos(t), Op: t.tok, L: left, R: right}
		}
		switch prec {
		case precEq, precCmp, precHas:
			if n := p.peek(0); binaryPrec(n.tok) == prec {
				p.unexpected(n, "")
			}
		}
	}
}

// startsSelect reports whether t can begin an argument of an application.
func startsSelect(t Token) bool {
	switch t {
	case ID, INT, FLOAT, DQUOTE, IND_OPEN, PATH, HPATH, SPATH, URI, LPAREN, LET, REC, LBRACE, LBRACK:
		return true
	}
	return false
}

// parseApp parses function application: f a b c.
func (p *parser) parseApp() Node {
	start := p.peek(0)
	fn := p.parseSelect()
	if !startsSelect(p.peek(0).tok) {
		return fn
	}
	call := &Call{P: p.pos(start), Fn: fn}
	if c, ok := fn.(*Call); ok {
		call = c // f or x: extend the call built for `or`
	}
	for startsSelect(p.peek(0).tok) {
		call.Args = append(call.Args, p.parseSelect())
	}
	return call
}

// parseSelect parses e, e.a.b, e.a.b or d, and the legacy `e or`.
func (p *parser) parseSelect() Node {
	start := p.peek(0)
	e := p.parseSimple()
	switch t := p.peek(0); t.tok {
	case DOT:
		p.next()
		sel := &Select{P: p.pos(start), E: e, Path: p.parseAttrPath()}
		if p.peek(0).tok == OR_KW {
			p.next()
			p.enter()
			sel.Default = p.parseSelect()
			p.leave()
		}
		return sel
	case OR_KW:
		// `f or`: Nixpkgs once had a function named `or`.
		p.next()
		return &Call{P: p.pos(start), Fn: e, Args: []Node{&Var{P: p.pos(t), Name: "or"}}}
	}
	return e
}

// parseAttrPath parses a.b."c".${d}.
func (p *parser) parseAttrPath() []AttrName {
	var path []AttrName
	for {
		path = append(path, p.parseAttrName())
		if p.peek(0).tok != DOT {
			return path
		}
		p.next()
	}
}

func (p *parser) parseAttrName() AttrName {
	t := p.next()
	switch t.tok {
	case ID:
		return AttrName{P: p.pos(t), Name: t.text}
	case OR_KW:
		return AttrName{P: p.pos(t), Name: "or"}
	case DQUOTE:
		e := p.parseString(t)
		if s, ok := e.(*StringLit); ok {
			return AttrName{P: p.pos(t), Name: s.V}
		}
		return AttrName{P: p.pos(t), Expr: e}
	case DOLLAR_CURLY:
		p.enter()
		e := p.parseExpr()
		p.leave()
		p.expect(RBRACE, "'}'")
		if s, ok := e.(*StringLit); ok {
			return AttrName{P: p.pos(t), Name: s.V}
		}
		return AttrName{P: p.pos(t), Expr: e}
	}
	p.unexpected(t, "identifier or 'or' or '${' or '\"'")
	panic("unreachable")
}

// parseSimple parses expr_simple: literals, variables, parenthesised
// expressions, attribute sets and lists.
func (p *parser) parseSimple() Node {
	t := p.next()
	switch t.tok {
	case ID:
		if t.text == "__curPos" {
			return &CurPos{P: p.pos(t)}
		}
		return &Var{P: p.pos(t), Name: t.text}
	case INT:
		return &IntLit{P: p.pos(t), V: t.ival}
	case FLOAT:
		return &FloatLit{P: p.pos(t), V: t.fval}
	case DQUOTE:
		return p.parseString(t)
	case IND_OPEN:
		return p.parseIndString(t)
	case PATH, HPATH:
		p.lintPath(t)
		return p.parsePath(t)
	case SPATH:
		return &SearchPath{P: p.pos(t), Path: t.text}
	case URI:
		p.lint(p.opts.Lints.URL, t.off, fmt.Sprintf("URL literals are disallowed. Consider using a string literal \"%s\" instead (lint-url-literals)", t.text))
		return &StringLit{P: p.pos(t), V: t.text, URI: true}
	case LPAREN:
		p.enter()
		e := p.parseExpr()
		p.leave()
		p.expect(RPAREN, "')'")
		return e
	case LET:
		// let { binds } is rec { binds }.body.
		p.expect(LBRACE, "'{'")
		a := p.parseBinds(t, RBRACE)
		p.expect(RBRACE, "'}'")
		a.Rec = true
		return &Select{P: p.pos(t), E: a, Path: []AttrName{{P: p.pos(t), Name: "body"}}}
	case REC:
		p.expect(LBRACE, "'{'")
		a := p.parseBinds(t, RBRACE)
		p.expect(RBRACE, "'}'")
		a.Rec = true
		return a
	case LBRACE:
		a := p.parseBinds(t, RBRACE)
		p.expect(RBRACE, "'}'")
		return a
	case LBRACK:
		l := &List{P: p.pos(t)}
		for p.peek(0).tok != RBRACK {
			if !startsSelect(p.peek(0).tok) {
				p.unexpected(p.peek(0), "']'")
			}
			p.enter()
			l.Elems = append(l.Elems, p.parseSelect())
			p.leave()
		}
		p.next()
		return l
	}
	p.unexpected(t, "")
	panic("unreachable")
}

// parseString parses the rest of a "…" string after its opening quote.
func (p *parser) parseString(open token) Node {
	var parts []Node
	interpolated := false
	for {
		t := p.next()
		switch t.tok {
		case DQUOTE:
			switch {
			case len(parts) == 0:
				return &StringLit{P: p.pos(open)}
			case len(parts) == 1 && !interpolated:
				s := parts[0].(*StringLit)
				s.P = p.pos(open)
				return s
			}
			return &Interp{P: p.pos(open), ForceString: true, Parts: parts}
		case STR:
			p.checkNUL(t)
			parts = append(parts, &StringLit{P: p.pos(t), V: t.text})
		case DOLLAR_CURLY:
			interpolated = true
			parts = append(parts, p.parseInterpolation())
		default:
			p.unexpected(t, "'\"'")
		}
	}
}

// checkNUL rejects string literals with NUL bytes, which Nix strings
// cannot hold.
func (p *parser) checkNUL(t token) {
	if strings.IndexByte(t.text, 0) >= 0 {
		p.errorf(t.off, "input string '%s' cannot be represented as Nix string because it contains null bytes", strings.ReplaceAll(t.text, "\x00", "␀"))
	}
}

func (p *parser) parseInterpolation() Node {
	p.enter()
	e := p.parseExpr()
	p.leave()
	p.expect(RBRACE, "'}'")
	return e
}

// An indPart is a piece of an indented string before indentation is
// stripped: raw text (indent true), an escape, or an interpolation.
type indPart struct {
	pos    Pos
	text   string
	indent bool
	expr   Node
}

func (p *parser) parseIndString(open token) Node {
	var parts []indPart
	for {
		t := p.next()
		switch t.tok {
		case IND_CLOSE:
			return stripIndentation(p.pos(open), parts)
		case IND_STR:
			p.checkNUL(t)
			parts = append(parts, indPart{pos: p.pos(t), text: t.text, indent: t.indent})
		case DOLLAR_CURLY:
			parts = append(parts, indPart{pos: p.pos(t), expr: p.parseInterpolation()})
		default:
			p.unexpected(t, "end of an indented string")
		}
	}
}

// stripIndentation removes the common leading spaces of the lines of an
// indented string, exactly as Nix does: only raw text counts towards the
// indentation, interpolations and escapes end it, whitespace-only lines
// don't count, and a final whitespace-only line is dropped.
func stripIndentation(pos Pos, parts []indPart) Node {
	if len(parts) == 0 {
		return &StringLit{P: pos}
	}
	atStart, minIndent, cur := true, 1000000, 0
	for _, pt := range parts {
		if pt.expr != nil || !pt.indent {
			if atStart {
				atStart = false
				minIndent = min(minIndent, cur)
			}
			continue
		}
		for i := 0; i < len(pt.text); i++ {
			c := pt.text[i]
			if atStart {
				switch c {
				case ' ':
					cur++
				case '\n':
					cur = 0
				default:
					atStart = false
					minIndent = min(minIndent, cur)
				}
			} else if c == '\n' {
				atStart, cur = true, 0
			}
		}
	}
	var out []Node
	atStart = true
	dropped := 0
	for i, pt := range parts {
		if pt.expr != nil {
			atStart, dropped = false, 0
			out = append(out, pt.expr)
			continue
		}
		var b strings.Builder
		for j := 0; j < len(pt.text); j++ {
			c := pt.text[j]
			if atStart {
				switch c {
				case ' ':
					if dropped >= minIndent {
						b.WriteByte(c)
					}
					dropped++
				case '\n':
					dropped = 0
					b.WriteByte(c)
				default:
					atStart, dropped = false, 0
					b.WriteByte(c)
				}
			} else {
				b.WriteByte(c)
				if c == '\n' {
					atStart = true
				}
			}
		}
		s := b.String()
		if i == len(parts)-1 {
			if k := strings.LastIndexByte(s, '\n'); k >= 0 && strings.Trim(s[k+1:], " ") == "" {
				s = s[:k+1]
			}
		}
		if s == "" {
			continue
		}
		if k := len(out) - 1; k >= 0 {
			if prev, ok := out[k].(*StringLit); ok {
				out[k] = &StringLit{P: prev.P, V: prev.V + s}
				continue
			}
		}
		out = append(out, &StringLit{P: pt.pos, V: s})
	}
	if len(out) == 0 {
		return &StringLit{P: pos}
	}
	if len(out) == 1 {
		if s, ok := out[0].(*StringLit); ok {
			s.P = pos
			return s
		}
	}
	return &Interp{P: pos, ForceString: true, Parts: out}
}

// parsePath parses a path literal and any interpolated parts after it.
func (p *parser) parsePath(t token) Node {
	var first string
	if t.tok == HPATH {
		if p.opts.Home == "" {
			p.errorf(t.off, "the path '%s' can not be resolved in pure mode", t.text)
		}
		first = p.opts.Home + t.text[1:]
	} else {
		first = absPath(t.text, p.opts.BasePath)
		if strings.HasSuffix(t.text, "/") && len(t.text) > 1 {
			first += "/"
		}
	}
	start := &PathLit{P: p.pos(t), V: first}
	var parts []Node
	for {
		n := p.next()
		switch n.tok {
		case PATH_END:
			if len(parts) == 0 {
				if t.tok == HPATH {
					start.V = CanonPath(start.V)
				}
				return start
			}
			return &Interp{P: p.pos(t), Parts: append([]Node{start}, parts...)}
		case STR:
			parts = append(parts, &StringLit{P: p.pos(n), V: n.text})
		case DOLLAR_CURLY:
			parts = append(parts, p.parseInterpolation())
		default:
			p.unexpected(n, "end of path")
		}
	}
}

// absPath makes p absolute against base and canonicalises it.
func absPath(p, base string) string {
	if !strings.HasPrefix(p, "/") {
		p = base + "/" + p
	}
	return CanonPath(p)
}

// CanonPath removes ".", ".." and repeated or trailing slashes from an
// absolute path, without looking at the file system.
func CanonPath(p string) string {
	if p == "" {
		return "/"
	}
	return path.Clean(p)
}

// parseBinds parses the bindings of an attribute set or let, up to (not
// including) the end token.
func (p *parser) parseBinds(start token, end Token) *Attrs {
	a := &Attrs{P: p.pos(start)}
	for {
		t := p.peek(0)
		switch t.tok {
		case end:
			return a
		case INHERIT:
			p.next()
			p.parseInherit(a)
		case ID, OR_KW, DQUOTE, DOLLAR_CURLY:
			path := p.parseAttrPath()
			p.expect(ASSIGN, "'='")
			v := p.parseExpr()
			p.expect(SEMI, "';'")
			p.addAttr(a, path, v, path[0].P)
		default:
			if end == IN {
				p.unexpected(t, "'in'")
			}
			p.unexpected(t, "'inherit'")
		}
	}
}

func (p *parser) parseInherit(a *Attrs) {
	from := -1
	var fromPos Pos
	if t := p.peek(0); t.tok == LPAREN {
		p.next()
		e := p.parseExpr()
		p.expect(RPAREN, "')'")
		from = len(a.InheritFrom)
		fromPos = p.pos(t)
		a.InheritFrom = append(a.InheritFrom, e)
	}
	for {
		t := p.peek(0)
		var name AttrName
		switch t.tok {
		case SEMI:
			p.next()
			return
		case ID, OR_KW, DQUOTE, DOLLAR_CURLY:
			name = p.parseAttrName()
			if name.Expr != nil {
				p.errorf(t.off, "dynamic attributes not allowed in inherit")
			}
		default:
			p.next()
			p.unexpected(t, "';'")
		}
		if d := a.Find(name.Name); d != nil {
			p.dupAttr(name.Name, name.P, d.P)
		}
		def := &AttrDef{P: name.P, Name: name.Name}
		if from < 0 {
			def.Kind = AttrInherited
			def.Value = &Var{P: name.P, Name: name.Name}
		} else {
			def.Kind = AttrInheritedFrom
			def.Value = &Select{P: name.P, E: &InheritFrom{P: fromPos, Index: from},
				Path: []AttrName{{P: name.P, Name: name.Name}}}
		}
		a.Attrs = append(a.Attrs, def)
	}
}

func (p *parser) dupAttr(name string, pos, prev Pos) {
	p.errorf(p.file.Offset(pos), "attribute '%s' already defined at %s", name, p.file.position(p.file.Offset(prev)))
}

func attrPathString(path []AttrName) string {
	var b strings.Builder
	for i, n := range path {
		if i > 0 {
			b.WriteByte('.')
		}
		if n.Expr != nil {
			b.WriteString("\"${...}\"")
		} else {
			b.WriteString(n.Name)
		}
	}
	return b.String()
}

// addAttr adds path = v to a, creating and merging nested sets as Nix does.
func (p *parser) addAttr(a *Attrs, path []AttrName, v Node, pos Pos) {
	for i, n := range path[:len(path)-1] {
		if n.Expr != nil {
			nested := &Attrs{P: pos}
			a.Dynamic = append(a.Dynamic, &DynAttr{P: pos, Name: n.Expr, Value: nested})
			a = nested
			continue
		}
		d := a.Find(n.Name)
		if d == nil {
			nested := &Attrs{P: pos}
			a.Attrs = append(a.Attrs, &AttrDef{P: pos, Name: n.Name, Value: nested})
			a = nested
			continue
		}
		sub, ok := d.Value.(*Attrs)
		if d.Kind != AttrPlain || !ok {
			p.dupAttr(attrPathString(path[:i+1]), pos, d.P)
		}
		a = sub
	}
	last := path[len(path)-1]
	if last.Expr != nil {
		a.Dynamic = append(a.Dynamic, &DynAttr{P: pos, Name: last.Expr, Value: v})
		return
	}
	d := a.Find(last.Name)
	if d == nil {
		if l, ok := v.(*Lambda); ok && l.Name == "" {
			l.Name = last.Name
		}
		a.Attrs = append(a.Attrs, &AttrDef{P: pos, Name: last.Name, Value: v})
		return
	}
	sub, ok1 := d.Value.(*Attrs)
	add, ok2 := v.(*Attrs)
	if d.Kind != AttrPlain || !ok1 || !ok2 {
		p.dupAttr(attrPathString(path), pos, d.P)
	}
	p.mergeAttrs(sub, add)
}

// mergeAttrs merges the literal set add into sub (x = { … }; x.y = …).
func (p *parser) mergeAttrs(sub, add *Attrs) {
	shift := len(sub.InheritFrom)
	sub.InheritFrom = append(sub.InheritFrom, add.InheritFrom...)
	for _, d := range add.Attrs {
		if prev := sub.Find(d.Name); prev != nil {
			p.dupAttr(d.Name, d.P, prev.P)
		}
		if d.Kind == AttrInheritedFrom && shift > 0 {
			sel := d.Value.(*Select)
			from := sel.E.(*InheritFrom)
			sel.E = &InheritFrom{P: from.P, Index: from.Index + shift}
		}
		sub.Attrs = append(sub.Attrs, d)
	}
	sub.Dynamic = append(sub.Dynamic, add.Dynamic...)
}
