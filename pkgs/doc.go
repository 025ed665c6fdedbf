// Package pkgs holds Frazil's package set: Nix files (default.nix is the
// entry point, `import ./pkgs {}`) and the Go tests that build them. See
// docs/pkgs.md for the packages, the cross-compilation model and the lock
// files.
package pkgs
