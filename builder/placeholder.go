package builder

// This file defines output placeholders: builtins.placeholder "out" is a
// fixed string that the builder replaces by the output's path in the
// builder's arguments, environment and the files written for it
// (passAsFile, .attrs.json), as Nix does (inputRewrites in
// LocalDerivationGoal). It lets a builder that is not a shell, such as
// the go command, be told where its output goes.

import (
	"crypto/sha256"
	"strings"

	"github.com/frazil/frazil/store/nixbase32"
)

// Placeholder returns the placeholder of an output name:
// "/" + nix32(sha256("nix-output:" + name)).
func Placeholder(output string) string {
	sum := sha256.Sum256([]byte("nix-output:" + output))
	return "/" + nixbase32.EncodeToString(sum[:])
}

// placeholderReplacer replaces the placeholder of each of n's outputs by
// the output's path.
func placeholderReplacer(n *node) *strings.Replacer {
	var pairs []string
	for _, name := range sortedKeys(n.outputs) {
		pairs = append(pairs, Placeholder(name), string(n.outputs[name]))
	}
	return strings.NewReplacer(pairs...)
}

// rewriteArgs returns args with the output placeholders replaced.
func rewriteArgs(n *node, args []string) []string {
	r := placeholderReplacer(n)
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = r.Replace(a)
	}
	return out
}
