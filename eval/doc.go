// Package eval is Frazil's evaluator of the Nix language: values, lazy
// evaluation, builtins, derivations and printing, compatible with
// nix-instantiate.
//
// # Pipeline
//
// Package syntax parses source into a tree. The compiler (compile.go)
// turns the tree into expression nodes, resolving every variable: a name
// bound by a let, a rec set, a lambda or an `inherit (e)` becomes a
// (level, index) reference into the chain of environments; a builtin
// becomes a constant; a name bound by no static scope is looked up at run
// time in the enclosing `with` sets, innermost first (static bindings
// always win over `with`, as in Nix); a name found nowhere is an
// "undefined variable" error before evaluation starts. Nodes are then
// evaluated by a tree-walking interpreter (expr.go).
//
// # Values
//
// A Value is one of Int, Float, Bool, Null, *String (bytes and a string
// context), Path, *List, *Attrs, *Closure, *Builtin, *PartialApp or
// *Thunk; Go's nil is never a value. Attribute sets are slices sorted by
// interned symbol (binary search for lookups, a linear merge for //);
// whatever shows names in order sorts them by name on demand and caches
// the result. Environments are one allocation holding the link to the
// enclosing environment and the values.
//
// # Laziness
//
// A *Thunk holds an expression and its environment until forced, then
// its value. Like Nix's maybeThunk, constants and variables are not
// wrapped in thunks. While a thunk is being forced it is blackholed, so
// forcing it again is reported as infinite recursion; if its evaluation
// fails it becomes unevaluated again (tryEval can catch an error and a
// later force re-evaluates). Evaluation depth (calls and thunks being
// forced) is bounded (Options.MaxDepth): deep recursion is an error
// "stack overflow (possible infinite recursion)", never a crash.
//
// # Errors
//
// Errors are raised by panicking with an *Error and recovered at every
// exported entry point and by builtins.tryEval; no panic escapes the
// package (a Go runtime error becomes an ErrInternal error). The
// evaluator keeps a stack of frames (calls, attributes being evaluated,
// addErrorContext messages) from which an error's trace is taken. Error
// kinds say what tryEval may catch: only throw and assert.
//
// # The store
//
// The evaluator reads and writes store paths only through the Store
// interface: ComputeStore computes paths without writing, DirStore
// writes files under a directory, and package storeadapter connects the
// real store. derivationStrict builds .drv files with package
// store/derivation; `derivation` is, as in Nix, a small Nix function
// around it.
//
// # Printing
//
// Print, JSON and XML produce exactly what nix-instantiate --eval,
// --json and --xml print (tested against Nix 2.8 and the Nix language
// test suite).
package eval
