// Package build turns a Nix expression into store paths: it evaluates the
// expression (as frazil instantiate does, writing the .drv files into a
// store), realises the derivations with package builder (substituting
// from binary caches or building), and makes result links that are
// garbage-collector roots. It is the engine of `frazil build`.
//
// The evaluator reaches the store through StoreAdapter, the eval.Store
// that writes into a package store.Store. Binary caches become builder
// substituters through CacheSubstituter.
//
// --system (Options.System) selects the package set's target: it is
// passed as the argument `system` to a top-level function that takes one,
// like --argstr system S. The derivations still build on this machine
// (builtins.currentSystem); see docs/pkgs.md for the cross model.
package build
