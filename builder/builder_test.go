package builder

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

func TestBuildSimple(t *testing.T) {
	e := newTestEnv(t)
	drv := e.drv(spec{name: "hello", args: []string{"mkdir", "$out", "write", "$out/greeting", "hello from $name", "echo", "building $name"}})
	res, rec, err := e.realise(Options{}, drv)
	if err != nil {
		t.Fatalf("Realise: %v", err)
	}
	out := e.out(drv)
	if got := res[drv]["out"]; got != out {
		t.Errorf("result out = %s, want %s", got, out)
	}
	if got := e.read(out, "greeting"); got != "hello from hello" {
		t.Errorf("greeting = %q", got)
	}
	info, err := e.s.QueryPathInfo(out)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := nar.DumpPath(&buf, e.s.RealPath(out)); err != nil {
		t.Fatal(err)
	}
	if want := nixhash.Sum(nixhash.SHA256, buf.Bytes()); !info.NarHash.Equal(want) || info.NarSize != uint64(buf.Len()) {
		t.Errorf("NarHash, NarSize = %v, %d; want %v, %d", info.NarHash, info.NarSize, want, buf.Len())
	}
	if info.Deriver != drv || !info.Ultimate || len(info.References) != 0 {
		t.Errorf("info = %+v, want deriver %s, ultimate, no references", info, drv)
	}
	fi, err := os.Stat(filepath.Join(e.s.RealPath(out), "greeting"))
	if err != nil || fi.Mode().Perm() != 0o444 || fi.ModTime().Unix() != 1 {
		t.Errorf("output file mode %v mtime %v, want 0444 and 1", fi.Mode(), fi.ModTime())
	}
	if outs, err := e.s.DerivationOutputs(drv); err != nil || outs["out"] != out {
		t.Errorf("DerivationOutputs = %v, %v", outs, err)
	}
	if log, err := Log(e.s, drv); err != nil || string(log) != "building hello\n" {
		t.Errorf("Log = %q, %v", log, err)
	}
	if got := []int{rec.count(BuildStarted), rec.count(BuildFinished)}; got[0] != 1 || got[1] != 1 {
		t.Errorf("started, finished = %v, want 1, 1", got)
	}
	left, _ := filepath.Glob(filepath.Join(e.s.Root(), "nix/store/.tmp-*"))
	if len(left) > 0 {
		t.Errorf("scratch files left in the store: %v", left)
	}

	// A second run finds everything valid.
	_, rec, err = e.realise(Options{}, drv)
	if err != nil || rec.count(BuildStarted) != 0 || rec.events[0].Progress.Total != 0 {
		t.Errorf("second Realise: %v, %d builds, events %v", err, rec.count(BuildStarted), rec.events)
	}
}

func TestBuildEnvironment(t *testing.T) {
	e := newTestEnv(t)
	drv := e.drv(spec{name: "env", args: []string{"mkdir", "$out", "env", "$out/env", "copy", "$bigPath", "$out/big"},
		env: map[string]string{"PATH": "/custom", "greeting": "multi\nline", "big": "file contents", "passAsFile": "big"}})
	if _, err := New(e.s, Options{Cores: 3}).Realise(t.Context(), []storepath.Path{drv}); err != nil {
		t.Fatal(err)
	}
	out := e.out(drv)
	env := e.read(out, "env")
	for _, want := range []string{
		"PATH=/custom", "HOME=/homeless-shelter", "NIX_STORE=/nix/store", "NIX_BUILD_CORES=3",
		"NIX_BUILD_TOP=/build", "TMPDIR=/build", "TEMPDIR=/build", "TMP=/build", "TEMP=/build", "PWD=/build",
		"NIX_LOG_FD=2", "TERM=xterm-256color", "name=env", "out=" + string(out), "greeting=multi\nline",
		"bigPath=/build/.attr-",
	} {
		if !strings.Contains(env, "\n"+want) && !strings.HasPrefix(env, want) {
			t.Errorf("environment lacks %q:\n%s", want, env)
		}
	}
	for _, unwanted := range []string{"\nbig=", "NIX_OUTPUT_CHECKED", sandboxEnvVar} {
		if strings.Contains(env, unwanted) {
			t.Errorf("environment has %q:\n%s", unwanted, env)
		}
	}
	if got := e.read(out, "big"); got != "file contents" {
		t.Errorf("passAsFile contents = %q", got)
	}
}

func TestBuildStructuredAttrs(t *testing.T) {
	e := newTestEnv(t)
	js := `{"builder":"b","name":"structured","outputs":["out","dev"],"nested":{"a":[1,"x\ny"]},"system":"s"}`
	drv := e.drv(spec{name: "structured", outputs: []string{"out", "dev"}, env: map[string]string{"__json": js},
		args: []string{"load-attrs", "mkdir", "$out", "mkdir", "$dev", "copy", "$NIX_ATTRS_JSON_FILE", "$out/attrs.json", "env", "$out/env"}})
	if _, _, err := e.realise(Options{}, drv); err != nil {
		t.Fatal(err)
	}
	outs := e.outputs(drv)
	got := e.read(outs["out"], "attrs.json")
	want := fmt.Sprintf(`{"builder":"b","name":"structured","nested":{"a":[1,"x\ny"]},"outputs":{"dev":"%s","out":"%s"},"system":"s"}`, outs["dev"], outs["out"])
	if got != want {
		t.Errorf(".attrs.json =\n%s\nwant\n%s", got, want)
	}
	if env := e.read(outs["out"], "env"); strings.Contains(env, "__json") {
		t.Errorf("structured attrs leaked into the environment:\n%s", env)
	}
}

func TestBuildFailure(t *testing.T) {
	e := newTestEnv(t)
	var args []string
	for i := 1; i <= 12; i++ {
		args = append(args, "echo", fmt.Sprintf("line %d", i))
	}
	bad := e.drv(spec{name: "bad", args: append(args, "exit", "3")})
	dep := e.drv(spec{name: "dep", args: []string{"mkdir", "$out"}, inputs: map[string][]string{string(bad): {"out"}}})
	_, rec, err := e.realise(Options{}, dep)
	var be *Error
	if !errors.As(err, &be) || len(be.Failures) != 2 {
		t.Fatalf("Realise error = %v, want an *Error with two failures", err)
	}
	f := be.Failures[0]
	var exit *ExitError
	if f.Path != bad || !errors.As(f.Err, &exit) || exit.Code != 3 {
		t.Errorf("failure 0 = %v (%v), want %s with exit code 3", f.Path, f.Err, bad)
	}
	if want := []string{"line 3", "line 12"}; len(f.LogTail) != 10 || f.LogTail[0] != want[0] || f.LogTail[9] != want[1] {
		t.Errorf("log tail = %q, want lines 3 to 12", f.LogTail)
	}
	msg := err.Error()
	for _, want := range []string{
		"builder for '" + string(bad) + "' failed with exit code 3;\n  last 10 log lines:\n  > line 3\n",
		"  > line 12\n  For full logs, run 'frazil log " + string(bad) + "'.",
		"cannot build derivation '" + string(dep) + "': 1 dependencies couldn't be built",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error message lacks %q:\n%s", want, msg)
		}
	}
	if rec.count(BuildFailed) != 1 || rec.count(DependencyFailed) != 1 || rec.count(BuildStarted) != 1 {
		t.Errorf("events: %v", rec.events)
	}
	if ok, _ := e.s.IsValid(e.out(bad)); ok {
		t.Errorf("output of a failed build is valid")
	}
}

func TestKeepGoing(t *testing.T) {
	for _, keepGoing := range []bool{false, true} {
		t.Run(fmt.Sprint("keepGoing=", keepGoing), func(t *testing.T) {
			e := newTestEnv(t)
			bad := e.drv(spec{name: "bad", args: []string{"exit", "1"}})
			good := e.drv(spec{name: "good", args: []string{"mkdir", "$out"}})
			after := e.drv(spec{name: "after", args: []string{"mkdir", "$out"}, inputs: map[string][]string{string(bad): {"out"}}})
			_, rec, err := e.realise(Options{KeepGoing: keepGoing}, bad, good, after)
			if err == nil {
				t.Fatal("Realise succeeded")
			}
			built, _ := e.s.IsValid(e.out(good))
			if built != keepGoing {
				t.Errorf("independent derivation built = %v, want %v", built, keepGoing)
			}
			if n := rec.count(BuildStarted); n != map[bool]int{false: 1, true: 2}[keepGoing] {
				t.Errorf("%d builds started", n)
			}
			if ok, _ := e.s.IsValid(e.out(after)); ok {
				t.Errorf("dependent of a failure built")
			}
		})
	}
}

// TestParallel checks that -j2 runs two builds at once and -j1 does not.
func TestParallel(t *testing.T) {
	for _, jobs := range []int{1, 2} {
		t.Run(fmt.Sprint("j", jobs), func(t *testing.T) {
			e := newTestEnv(t)
			a := e.drv(spec{name: "a", args: []string{"sleep", "0.7", "mkdir", "$out"}})
			b := e.drv(spec{name: "b", args: []string{"sleep", "0.7", "mkdir", "$out"}})
			_, rec, err := e.realise(Options{Jobs: jobs}, a, b)
			if err != nil {
				t.Fatal(err)
			}
			maxRunning := 0
			for _, ev := range rec.events {
				maxRunning = max(maxRunning, ev.Progress.Running)
			}
			if maxRunning != jobs {
				t.Errorf("at most %d builds ran at once, want %d", maxRunning, jobs)
			}
			var started, finished []int
			for i, ev := range rec.events {
				switch ev.Kind {
				case BuildStarted:
					started = append(started, i)
				case BuildFinished:
					finished = append(finished, i)
				}
			}
			overlap := started[1] < finished[0]
			if overlap != (jobs == 2) {
				t.Errorf("builds overlapped = %v with -j%d (events %v)", overlap, jobs, rec.events)
			}
		})
	}
}

func TestMultipleOutputsAndReferences(t *testing.T) {
	e := newTestEnv(t)
	lib := e.drv(spec{name: "lib", args: []string{"mkdir", "$out", "write", "$out/f", "no refs"}})
	multi := e.drv(spec{name: "multi", outputs: []string{"out", "dev", "doc"},
		inputs: map[string][]string{string(lib): {"out"}},
		env:    map[string]string{"lib": string(e.out(lib))},
		args: []string{
			"mkdir", "$out", "write", "$out/f", "self $out and dev $dev",
			"mkdir", "$dev", "write", "$dev/f", "lib at $lib/f",
			"write", "$doc", "plain file, refers to nothing",
		}})
	user := e.drv(spec{name: "user", inputs: map[string][]string{string(multi): {"dev"}},
		args: []string{"mkdir", "$out", "report", "$out/report", "probe-ls", "/nix/store"}})
	if _, _, err := e.realise(Options{}, user); err != nil {
		t.Fatal(err)
	}
	outs := e.outputs(multi)
	libOut := e.out(lib)
	wantRefs := map[storepath.Path][]storepath.Path{
		outs["out"]: sortedPaths(outs["out"], outs["dev"]),
		outs["dev"]: {libOut},
		outs["doc"]: nil,
	}
	for p, want := range wantRefs {
		info, err := e.s.QueryPathInfo(p)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(info.References) != fmt.Sprint(want) {
			t.Errorf("references of %s = %v, want %v", p, info.References, want)
		}
	}
	// The user sees its inputs' closure: multi.dev and lib, the test
	// builder, and its own output; not multi.out or multi.doc.
	userOut := e.out(user)
	want := "probe-ls /nix/store: ok " + strings.Join(sortedBases(outs["dev"], libOut, e.tb, userOut), " ") + "\n"
	if got := e.read(userOut, "report"); got != want {
		t.Errorf("user's /nix/store:\n%s\nwant\n%s", got, want)
	}
}

func TestReferenceCycle(t *testing.T) {
	e := newTestEnv(t)
	drv := e.drv(spec{name: "cyclic", outputs: []string{"out", "dev"},
		args: []string{"write", "$out", "$dev", "write", "$dev", "$out"}})
	_, _, err := e.realise(Options{}, drv)
	if err == nil || !strings.Contains(err.Error(), "cycle detected in build of '"+string(drv)+"'") {
		t.Errorf("Realise error = %v, want a cycle error", err)
	}
}

func TestMissingOutput(t *testing.T) {
	e := newTestEnv(t)
	drv := e.drv(spec{name: "lazy", outputs: []string{"out", "dev"}, args: []string{"mkdir", "$out"}})
	_, _, err := e.realise(Options{}, drv)
	want := fmt.Sprintf("builder for '%s' failed to produce output path for output 'dev' at '%s'", drv, e.outputs(drv)["dev"])
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Realise error = %v, want %q", err, want)
	}
	if ok, _ := e.s.IsValid(e.out(drv)); ok {
		t.Errorf("output 'out' of a failed build was registered")
	}
}

func TestTimeout(t *testing.T) {
	e := newTestEnv(t)
	drv := e.drv(spec{name: "slow", args: []string{"sleep", "60"}})
	_, _, err := e.realise(Options{Timeout: 500e6}, drv)
	var te *TimeoutError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "builder for '"+string(drv)+"' timed out after 500ms") {
		t.Errorf("Realise error = %v, want a timeout", err)
	}
}

func TestWrongPlatform(t *testing.T) {
	e := newTestEnv(t)
	drv := e.drv(spec{name: "alien", system: "mips64-plan9", args: []string{"mkdir", "$out"}})
	_, _, err := e.realise(Options{}, drv)
	if err == nil || !strings.Contains(err.Error(), "a 'mips64-plan9' with features {} is required to build '"+string(drv)+"'") {
		t.Errorf("Realise error = %v", err)
	}
}

func TestNotADerivation(t *testing.T) {
	e := newTestEnv(t)
	missing := storepath.Path("/nix/store/00000000000000000000000000000000-gone.drv")
	for _, p := range []storepath.Path{e.tb, missing} {
		if _, _, err := e.realise(Options{}, p); err == nil {
			t.Errorf("Realise(%s) succeeded", p)
		}
	}
}

func sortedPaths(ps ...storepath.Path) []storepath.Path {
	out := append([]storepath.Path(nil), ps...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func sortedBases(ps ...storepath.Path) []string {
	var out []string
	for _, p := range sortedPaths(ps...) {
		out = append(out, p.Base())
	}
	return out
}
