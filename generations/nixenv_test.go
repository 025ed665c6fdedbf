package generations

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/internal/testutil"
)

// nixEnvFixture makes n valid paths in a chroot store and a profile of n
// generations built by nix-env itself, with generation i made i days ago.
type nixEnvFixture struct {
	store string
	paths []string
	base  string // profile dir made by nix-env, one generation per path
}

func newNixEnvFixture(t *testing.T, n int) *nixEnvFixture {
	t.Helper()
	testutil.RequireTool(t, "nix-env", "apt-get install nix-bin")
	f := &nixEnvFixture{store: filepath.Join(t.TempDir(), "store")}
	src := t.TempDir()
	for i := 1; i <= n; i++ {
		file := filepath.Join(src, fmt.Sprintf("gen%d", i))
		os.WriteFile(file, []byte(fmt.Sprintf("generation %d\n", i)), 0o644)
		out, err := exec.Command("nix-store", "--store", f.store, "--add", file).Output()
		if err != nil {
			t.Fatalf("nix-store --add: %v", err)
		}
		f.paths = append(f.paths, strings.TrimSpace(string(out)))
	}
	base := newProfile(t)
	os.MkdirAll(filepath.Dir(base.Path), 0o755)
	for _, path := range f.paths {
		if out, err := f.nixEnv(t, base.Path, "--set", path); err != nil {
			t.Fatalf("nix-env --set: %v\n%s", err, out)
		}
	}
	now := time.Now()
	for i := range f.paths {
		setTime(t, base, i+1, now.Add(-time.Duration(len(f.paths)-i)*24*time.Hour+time.Hour))
	}
	f.base = filepath.Dir(base.Path)
	return f
}

func (f *nixEnvFixture) nixEnv(t *testing.T, profile string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("nix-env", append([]string{"--store", f.store, "-p", profile}, args...)...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// profile builds a profile with nix-env: one generation per path, then
// switches to current. Generation i's link is aged (n-i+1) days less an hour.
func (f *nixEnvFixture) profile(t *testing.T, current int) *Profile {
	t.Helper()
	p := newProfile(t)
	if out, err := exec.Command("cp", "-a", f.base+"/.", filepath.Dir(p.Path)).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	if out, err := f.nixEnv(t, p.Path, "--switch-generation", fmt.Sprint(current)); err != nil {
		t.Fatalf("nix-env --switch-generation: %v\n%s", err, out)
	}
	return p
}

func TestSetMatchesNixEnv(t *testing.T) {
	f := newNixEnvFixture(t, 2)
	seq := []string{f.paths[0], f.paths[1], f.paths[1], f.paths[0]}
	ours, theirs := newProfile(t), newProfile(t)
	os.MkdirAll(filepath.Dir(theirs.Path), 0o755)
	for _, s := range seq {
		mustSet(t, ours, s)
		if out, err := f.nixEnv(t, theirs.Path, "--set", s); err != nil {
			t.Fatalf("nix-env --set: %v\n%s", err, out)
		}
	}
	got, want := links(t, filepath.Dir(ours.Path)), links(t, filepath.Dir(theirs.Path))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links:\nfrazil  %q\nnix-env %q", got, want)
	}
}

// TestDeleteMatchesNixEnv runs the same deletion with nix-env and with
// Delete on identical profiles and compares what is left.
func TestDeleteMatchesNixEnv(t *testing.T) {
	f := newNixEnvFixture(t, 6)
	tests := []struct {
		args    []string
		current int
	}{
		{[]string{"old"}, 6}, {[]string{"old"}, 3}, {[]string{"+2"}, 6}, {[]string{"+2"}, 4},
		{[]string{"+10"}, 2}, {[]string{"1", "3", "9"}, 6}, {[]string{"2", "5"}, 5},
		{[]string{"3d"}, 6}, {[]string{"3d"}, 1}, {[]string{"1d"}, 4}, {[]string{"0d"}, 4}, {[]string{"30d"}, 6},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s@%d", strings.Join(tt.args, ","), tt.current), func(t *testing.T) {
			theirs := f.profile(t, tt.current)
			ours := newProfile(t)
			if out, err := exec.Command("cp", "-a", filepath.Dir(theirs.Path)+"/.", filepath.Dir(ours.Path)).CombinedOutput(); err != nil {
				t.Fatalf("cp: %v\n%s", err, out)
			}
			nixOut, nixErr := f.nixEnv(t, theirs.Path, append([]string{"--delete-generations"}, tt.args...)...)
			spec, ourErr := ParseDeleteSpec(tt.args)
			if ourErr == nil {
				_, ourErr = ours.Delete(spec, time.Now())
			} else if !strings.Contains(nixOut, ourErr.Error()) {
				t.Errorf("frazil says %q, nix-env says %q", ourErr, nixOut)
			}
			if (nixErr != nil) != (ourErr != nil) {
				t.Errorf("nix-env error %v (%s), frazil error %v", nixErr, nixOut, ourErr)
			}
			if got, want := links(t, filepath.Dir(ours.Path)), links(t, filepath.Dir(theirs.Path)); !reflect.DeepEqual(got, want) {
				t.Errorf("left after delete:\nfrazil  %q\nnix-env %q", got, want)
			}
		})
	}
}

func TestRollbackMatchesNixEnv(t *testing.T) {
	f := newNixEnvFixture(t, 4)
	theirs := f.profile(t, 4)
	ours := newProfile(t)
	exec.Command("cp", "-a", filepath.Dir(theirs.Path)+"/.", filepath.Dir(ours.Path)).Run()
	// delete 3 so that rollback must skip it
	f.nixEnv(t, theirs.Path, "--delete-generations", "3")
	ours.Delete(DeleteSpec{Numbers: []int{3}}, time.Now())
	for i := 0; i < 3; i++ {
		_, nixErr := f.nixEnv(t, theirs.Path, "--rollback")
		_, _, ourErr := ours.Rollback()
		if (nixErr != nil) != (ourErr != nil) {
			t.Errorf("rollback #%d: nix-env error %v, frazil error %v", i, nixErr, ourErr)
		}
		if got, want := links(t, filepath.Dir(ours.Path)), links(t, filepath.Dir(theirs.Path)); !reflect.DeepEqual(got, want) {
			t.Errorf("after rollback #%d:\nfrazil  %q\nnix-env %q", i, got, want)
		}
	}
}

func TestListMatchesNixEnv(t *testing.T) {
	f := newNixEnvFixture(t, 3)
	p := f.profile(t, 2)
	out, err := f.nixEnv(t, p.Path, "--list-generations")
	if err != nil {
		t.Fatalf("nix-env --list-generations: %v\n%s", err, out)
	}
	gens, err := p.List()
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, g := range gens {
		got.WriteString(FormatNixEnv(g, time.UTC) + "\n")
	}
	if got.String() != out {
		t.Errorf("list:\nfrazil\n%s\nnix-env\n%s", got.String(), out)
	}
}
