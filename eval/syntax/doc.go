// Package syntax is the front end of Frazil's Nix evaluator: the scanner,
// the parser and the abstract syntax tree, with source positions. It
// imports only the standard library.
//
// The scanner reproduces Nix's flex lexer: a stack of states (expression,
// double-quoted string, indented string, inside a path) and longest-match selection
// among the lexical rules, so that the same bytes give the same tokens —
// including Nix's quirks such as `1/2` being a path and `x:y` a URI.
//
// The parser is recursive descent with precedence climbing for operators,
// using the precedences and associativities of Nix's bison grammar. It
// builds the tree Nix builds: nested attribute paths are merged into
// nested sets (a.b = 1; a.c = 2), indented strings have their common
// indentation stripped, relative paths are made absolute against
// Options.BasePath, and `inherit (e) …` shares one evaluation of e.
// Scope resolution (undefined variables) is done by package eval.
//
// Positions are compact: a Pos is an offset into a FileSet, turned into
// file:line:column only when an error or a builtin needs it. Errors are
// *Error values that print as "file:line:col: message". The parser panics
// internally and recovers in Parse; no panic escapes. Nesting is limited
// (Options.MaxDepth) so that deep input is an error, not a stack overflow.
//
// Format prints a tree in the notation of `nix-instantiate --parse`.
package syntax
