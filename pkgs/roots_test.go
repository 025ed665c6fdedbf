package pkgs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// childBuildEnv asks the test binary to build an expression and exit (see
// childBuild): the paths a process builds are its temp roots while it
// runs, so only a build by another process shows what the result links
// alone keep.
const childBuildEnv = "FRAZIL_PKGS_CHILD_BUILD"

// childBuild runs in the child: build the expression of childBuildEnv in
// the store $FRAZIL_PKGS_CHILD_STORE with links at $FRAZIL_PKGS_CHILD_LINK,
// and print the outputs as JSON.
func childBuild() int {
	s, err := store.Open(os.Getenv("FRAZIL_PKGS_CHILD_STORE"))
	if err == nil {
		var res *build.Result
		res, err = build.Run(context.Background(), s, &build.Expr{Expr: os.Getenv(childBuildEnv)},
			&build.Options{OutLink: os.Getenv("FRAZIL_PKGS_CHILD_LINK")})
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(res.Outputs[0].Outputs)
		}
		s.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestResultLinksAreRoots: a result link keeps its output through a
// garbage collection until it is removed.
func TestResultLinksAreRoots(t *testing.T) {
	s := sharedStore(t)
	mustBuild(t, withPkgs(t, hostSystem, "uroot")) // the child finds it valid
	link := filepath.Join(t.TempDir(), "result")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childBuildEnv+"="+withPkgs(t, hostSystem,
		`runCommand "rooted-`+nonce+`" { outputs = [ "out" "dev" ]; } "echo out > $out; echo dev > $dev"`),
		"FRAZIL_PKGS_CHILD_STORE="+s.Root(), "FRAZIL_PKGS_CHILD_LINK="+link)
	cmd.Stderr = &testWriter{t: t}
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("child build: %v", err)
	}
	var outs map[string]storepath.Path
	if err := json.Unmarshal(stdout, &outs); err != nil || len(outs) != 2 {
		t.Fatalf("child output %q: %v", stdout, err)
	}
	for l, name := range map[string]string{link: "out", link + "-dev": "dev"} {
		if target, err := os.Readlink(l); err != nil || target != s.RealPath(outs[name]) {
			t.Errorf("%s -> %q, %v; want %s", l, target, err, s.RealPath(outs[name]))
		}
	}
	dead := func() []storepath.Path {
		t.Helper()
		res, err := s.GC(store.GCOptions{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		return res.Dead
	}
	d := dead()
	for _, p := range outs {
		if slices.Contains(d, p) {
			t.Errorf("GC would delete %s although a result link points at it", p)
		}
	}
	os.Remove(link)
	d = dead()
	if !slices.Contains(d, outs["out"]) || slices.Contains(d, outs["dev"]) {
		t.Errorf("with only %s-dev left, GC would delete out: %v, dev: %v; want true, false",
			link, slices.Contains(d, outs["out"]), slices.Contains(d, outs["dev"]))
	}
}
