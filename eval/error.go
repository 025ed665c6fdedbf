package eval

// This file defines evaluation errors and the frames of the evaluation
// trace they carry.

import (
	"fmt"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
)

// ErrorKind classifies errors by who may catch them.
type ErrorKind uint8

// The kinds of errors. Only ErrThrow and ErrAssert are caught by
// builtins.tryEval.
const (
	ErrEval      ErrorKind = iota // type errors, missing attributes, …
	ErrThrow                      // builtins.throw
	ErrAssert                     // a failed assert
	ErrAbort                      // builtins.abort
	ErrRecursion                  // infinite recursion, stack overflow
	ErrParse                      // syntax error in an imported file
	ErrInternal                   // a bug in the evaluator
)

type frameKind uint8

const (
	frameCall    frameKind = iota // a lambda called (ref: *lambdaNode; pos: call site)
	frameAttr                     // an attribute being forced (name, pos)
	frameBuiltin                  // a builtin called (ref: *Builtin; pos: call site)
	frameContext                  // builtins.addErrorContext (ref: message string)
	frameMessage                  // a fixed message (ref: string) at pos
)

// A frame is one entry of the evaluation stack, kept so that errors can
// report the chain of calls and attributes that led to them.
type frame struct {
	kind frameKind
	name Symbol
	pos  syntax.Pos
	ref  any
}

// Error is an evaluation error: a message, the position it refers to,
// and the evaluation trace (innermost first).
type Error struct {
	Kind  ErrorKind
	Msg   string
	Pos   syntax.Pos
	trace []traceLine
	fset  *syntax.FileSet
	// value is the thrown value's message for ErrThrow (no prefix)
}

// A traceLine is one "… while …" entry of an error trace.
type traceLine struct {
	msg string
	pos syntax.Pos
}

func (e *Error) Error() string {
	if e.fset != nil && e.Pos.IsValid() {
		return e.fset.Position(e.Pos).String() + ": " + e.Msg
	}
	return e.Msg
}

// Position returns the error's source position.
func (e *Error) Position() syntax.Position {
	if e.fset == nil {
		return syntax.Position{}
	}
	return e.fset.Position(e.Pos)
}

// Trace returns the evaluation trace, innermost first, as
// "message at file:line:col" strings.
func (e *Error) Trace() []string {
	var out []string
	for _, t := range e.trace {
		s := t.msg
		if t.pos.IsValid() && e.fset != nil {
			s += " at " + e.fset.Position(t.pos).String()
		}
		out = append(out, s)
	}
	return out
}

// Format renders the error as nix-instantiate does: the message, the
// source lines around its position and, with showTrace, the trace.
func (e *Error) Format(showTrace bool) string {
	var b strings.Builder
	b.WriteString("error: ")
	b.WriteString(indentLines(e.Msg))
	e.writeCode(&b, e.Pos)
	if showTrace {
		for _, t := range e.trace {
			b.WriteString("\n\n       … ")
			b.WriteString(indentLines(t.msg))
			e.writeCode(&b, t.pos)
		}
	} else if len(e.trace) > 0 && e.Pos.IsValid() {
		b.WriteString("\n(use '--show-trace' to show detailed location information)")
	}
	b.WriteByte('\n')
	return b.String()
}

func indentLines(s string) string { return strings.ReplaceAll(s, "\n", "\n       ") }

// writeCode writes "at file:line:col:" and the lines around it.
func (e *Error) writeCode(b *strings.Builder, p syntax.Pos) {
	if !p.IsValid() || e.fset == nil {
		return
	}
	pos := e.fset.Position(p)
	fmt.Fprintf(b, "\n\n       at %s:", pos)
	f := e.fset.File(p)
	if f == nil || len(f.Source()) == 0 {
		return
	}
	b.WriteByte('\n')
	if pos.Line > 1 {
		fmt.Fprintf(b, "\n        %5d| %s", pos.Line-1, f.Line(pos.Line-1))
	}
	fmt.Fprintf(b, "\n        %5d| %s", pos.Line, f.Line(pos.Line))
	fmt.Fprintf(b, "\n             |%s^", strings.Repeat(" ", pos.Column))
	if next := f.Line(pos.Line + 1); next != "" || pos.Line+1 <= lineCount(f) {
		fmt.Fprintf(b, "\n        %5d| %s", pos.Line+1, next)
	}
}

func lineCount(f *syntax.File) int {
	return strings.Count(string(f.Source()), "\n") + 1
}

// ParseError wraps a syntax error from package syntax (or an undefined
// variable found while resolving scopes).
type ParseError = syntax.Error
