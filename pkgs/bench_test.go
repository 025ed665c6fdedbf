package pkgs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
)

// allPackagesExpr lists every package of every target.
func allPackagesExpr(b testing.TB) string {
	var parts []string
	for _, system := range systems {
		parts = append(parts, fmt.Sprintf("(with import %s/pkgs { system = %q; }; [ %s ])", repoRoot(b), system, strings.Join(attrsOf(system), " ")))
	}
	return "[ " + strings.Join(parts, " ") + " ]"
}

// BenchmarkNoopRebuild times `frazil build` of the whole package set (all
// targets) when everything is valid already: evaluation, writing the
// .drv files (already there) and the validity checks.
func BenchmarkNoopRebuild(b *testing.B) {
	s := sharedStore(b)
	expr := allPackagesExpr(b)
	if _, _, err := buildIn(b, s, expr, build.Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		res, err := build.Run(context.Background(), s, &build.Expr{Expr: expr}, &build.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Outputs) == 0 {
			b.Fatal("nothing built")
		}
	}
}

// BenchmarkTrivialDerivations realises 1,000 trivial runCommand
// derivations (gosh writing one file each) per iteration, 2 at a time.
func BenchmarkTrivialDerivations(b *testing.B) {
	s := sharedStore(b)
	if _, _, err := buildIn(b, s, withPkgs(b, hostSystem, "uroot"), build.Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		expr := withPkgs(b, hostSystem, fmt.Sprintf(`builtins.genList (j: runCommand "t-%s-%d-${toString j}" { } "echo ${toString j} > $out") 1000`, nonce, i))
		start := time.Now()
		_, err := build.Run(context.Background(), s, &build.Expr{Expr: expr}, &build.Options{Builder: builder.Options{Jobs: 2}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(1000/time.Since(start).Seconds(), "drvs/s")
	}
}
