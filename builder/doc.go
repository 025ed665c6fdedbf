// Package builder realises derivations: it makes the outputs of a graph of
// .drv files valid in a store, by substituting them from a binary cache or
// building them.
//
// A build runs the derivation's builder in a sandbox (Linux namespaces: a
// private mount tree holding only the input closure, a private /proc, a
// minimal /dev and /etc, no network unless the derivation is fixed-output,
// an unprivileged build user). The sandbox is entered by re-executing the
// running binary as a small init (see sandboxinit_linux.go), so no helper
// program has to be installed and nothing needs cgo.
//
// The builder writes its outputs into a scratch store directory inside the
// sandbox. Afterwards they are checked, canonicalised, hashed, scanned for
// references, moved into the store and registered in one transaction.
package builder
