// Package lib tests Frazil's Nix library, the Nix files in this directory:
// lib/default.nix is a library with nixpkgs-lib names and semantics
// (attrsets, lists, strings, options, types and evalModules, the module
// system).
//
// The package has no Go code of its own. Its tests evaluate the library with
// a Nix evaluator, as nixpkgs' lib/tests/modules.sh does: the command is
// $FRAZIL_NIX_EVAL (split into words, for example "bin/frazil instantiate"),
// or Nix 2.8's nix-instantiate with a private chroot store when it is unset.
// The module cases (modules_test.go) evaluate
// lib/tests/modules/default.nix with a list of modules and check the JSON of
// one attribute, or the error text; TestMisc runs lib/tests/misc.nix, a
// runTests suite of the library functions.
package lib
