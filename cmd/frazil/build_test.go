package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/frazil/frazil/build"
)

func TestParseBuildFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want func(f *buildFlags) bool
		err  bool
	}{
		{"defaults", []string{"pkgs"}, func(f *buildFlags) bool {
			return f.expr.File == "pkgs" && f.opts.OutLink == "result" && f.opts.Builder.Jobs == 1 && f.storeDir == "/"
		}, false},
		{"expr and attrs", []string{"-E", "1", "-A", "a", "-A", "b.c"}, func(f *buildFlags) bool {
			return f.expr.Expr == "1" && reflect.DeepEqual(f.expr.Attrs, []string{"a", "b.c"})
		}, false},
		{"args", []string{"--arg", "n", "1 + 1", "f.nix", "--argstr", "s", "x y"}, func(f *buildFlags) bool {
			return f.expr.File == "f.nix" && reflect.DeepEqual(f.expr.Args, []build.Arg{{Name: "n", Value: "1 + 1"}, {Name: "s", Value: "x y", IsString: true}})
		}, false},
		{"build options", []string{"-j", "4", "-k", "--check", "--system", "aarch64-linux", "--store", "/s", "-o", "out", "x"}, func(f *buildFlags) bool {
			b := f.opts.Builder
			return b.Jobs == 4 && b.KeepGoing && b.Check && f.expr.System == "aarch64-linux" && f.storeDir == "/s" && f.opts.OutLink == "out"
		}, false},
		{"no out link", []string{"--no-out-link", "--dry-run", "--json", "x"}, func(f *buildFlags) bool {
			return f.opts.OutLink == "" && f.opts.DryRun && f.json
		}, false},
		{"two files", []string{"a", "b"}, nil, true},
		{"-E without expression", []string{"-E"}, nil, true},
		{"--arg missing a value", []string{"--arg", "n"}, nil, true},
		{"unknown flag", []string{"--frobnicate", "x"}, nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			f, err := parseBuildFlags(tt.args, &stderr)
			if tt.err {
				if !errors.Is(err, errUsage) {
					t.Errorf("parseBuildFlags(%q) = %v, want a usage error", tt.args, err)
				}
				return
			}
			if err != nil || !tt.want(f) {
				t.Errorf("parseBuildFlags(%q) = %+v, %v", tt.args, f, err)
			}
		})
	}
}

// builtinEnv is a derivation built in-process (builtin:buildenv), so the
// CLI test needs no sandbox.
const builtinEnv = `derivation { name = "env-%s"; system = builtins.currentSystem; builder = "builtin:buildenv";
  derivations = "1 5 1 ${builtins.path { path = %q; name = "pkg"; }}"; manifest = builtins.toFile "m" "[ ]"; }`

func TestBuildCLI(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "pkg")
	os.MkdirAll(filepath.Join(pkg, "bin"), 0o755)
	os.WriteFile(filepath.Join(pkg, "bin", "hello"), []byte("hi"), 0o755)
	root := filepath.Join(dir, "store")
	link := filepath.Join(dir, "result")
	expr := strings.Replace(strings.Replace(builtinEnv, "%s", "cli", 1), "%q", `"`+pkg+`"`, 1)

	run := func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		err := buildMain(context.Background(), args, &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}
	// --dry-run: the derivation would be built; nothing is.
	out, _, err := run("--store", root, "--dry-run", "--json", "-E", expr)
	var plan struct{ Build, Fetch []string }
	if err != nil || json.Unmarshal([]byte(out), &plan) != nil || len(plan.Build) != 1 || len(plan.Fetch) != 0 {
		t.Fatalf("--dry-run --json: %q, %v", out, err)
	}
	out, stderr, err := run("--store", root, "-o", link, "--json", "-E", expr)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	var res []build.Output
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != 1 || string(res[0].DrvPath) != plan.Build[0] {
		t.Fatalf("--json output %q: %v", out, err)
	}
	if !strings.Contains(stderr, "[1/1] built '"+plan.Build[0]+"'") {
		t.Errorf("no progress line for the build in:\n%s", stderr)
	}
	target, err := os.Readlink(link)
	if want := root + string(res[0].Outputs["out"]); err != nil || target != want {
		t.Errorf("result -> %q, %v; want %s", target, err, want)
	}
	// Built already: plain output is the path, nothing is built.
	out, stderr, err = run("--store", root, "--no-out-link", "-E", expr)
	if err != nil || out != string(res[0].Outputs["out"])+"\n" || strings.Contains(stderr, "building") {
		t.Errorf("second build: %q, %v\n%s", out, err, stderr)
	}
	// Evaluation errors exit 1 with Nix's message.
	_, stderr, err = run("--store", root, "-E", `throw "no such thing"`)
	if code, ok := err.(exitError); !ok || code != 1 || !strings.Contains(stderr, "no such thing") {
		t.Errorf("evaluation error: %v, stderr %q", err, stderr)
	}
}
