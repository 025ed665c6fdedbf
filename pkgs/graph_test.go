package pkgs_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
)

// graphExpr is a small graph: ok, bad (fails), needsBad (uses bad) and
// after (uses ok).
func graphExpr(tag string) string {
	return `let
      ok = runCommand "ok-` + tag + `" { } "echo ok > $out";
      bad = runCommand "bad-` + tag + `" { } "echo failing on purpose; exit 3";
      needsBad = runCommand "needs-bad-` + tag + `" { inherit bad; } "cat $bad > $out";
      after = runCommand "after-` + tag + `" { inherit ok; } "cat $ok > $out";
    in [ needsBad after ]`
}

func TestBuildFailureReport(t *testing.T) {
	for _, keepGoing := range []bool{false, true} {
		name := map[bool]string{false: "stop", true: "keep-going"}[keepGoing]
		t.Run(name, func(t *testing.T) {
			expr := withPkgs(t, hostSystem, graphExpr(name+"-"+nonce))
			opts := build.Options{Builder: builder.Options{KeepGoing: keepGoing, Jobs: 1}}
			_, ev, err := buildIn(t, sharedStore(t), expr, opts)
			var be *builder.Error
			if !errors.As(err, &be) {
				t.Fatalf("build: %v, want a *builder.Error", err)
			}
			msg := err.Error()
			for _, want := range []string{"bad-" + name, "failed with exit code 3", "failing on purpose"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the failure report lacks %q:\n%s", want, msg)
				}
			}
			if keepGoing {
				// after (and ok) still build; needs-bad is reported as not built.
				if got := ev.count(builder.BuildFinished); got != 2 {
					t.Errorf("%d builds finished, want 2 (ok, after)", got)
				}
				if !strings.Contains(msg, "needs-bad-"+name) || ev.count(builder.DependencyFailed) != 1 {
					t.Errorf("needs-bad is not reported as not built (%d dependency failures):\n%s", ev.count(builder.DependencyFailed), msg)
				}
			}
		})
	}
}

// TestParallelBuilds checks that -j N runs N builds at once and -j 1 one.
func TestParallelBuilds(t *testing.T) {
	for _, jobs := range []int{1, 2} {
		expr := withPkgs(t, hostSystem, `map (i: runCommand "sleep-${toString i}-j`+string(rune('0'+jobs))+`-`+nonce+`" { } "sleep 1; echo > $out") [ 1 2 3 ]`)
		_, ev, err := buildIn(t, sharedStore(t), expr, build.Options{Builder: builder.Options{Jobs: jobs}})
		if err != nil {
			t.Fatal(err)
		}
		if got := ev.maxRunning(); got != jobs {
			t.Errorf("-j %d: at most %d builds ran at once, want %d", jobs, got, jobs)
		}
		if got := ev.count(builder.BuildFinished); got != 3 {
			t.Errorf("-j %d: %d builds, want 3", jobs, got)
		}
	}
}

func TestDryRun(t *testing.T) {
	expr := withPkgs(t, hostSystem, `writeText "dry-`+nonce+`" "x"`)
	res, _, err := buildIn(t, sharedStore(t), expr, build.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Plan.Build) != 1 || !strings.HasSuffix(string(res.Plan.Build[0]), "-dry-"+nonce+".drv") {
		t.Errorf("plan = %v, want the one writeText derivation", res.Plan.Build)
	}
	if ok, _ := sharedStore(t).IsValid(res.Drvs[0]); !ok {
		t.Error("the derivation was not written")
	}
}
