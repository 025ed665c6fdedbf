package generations

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const (
	pathA = "/nix/store/y9xsr1hg3kf7xbva2dgqpagj6x6555a3-a"
	pathB = "/nix/store/ksndzbhi1maykqax5lj5q2wzn5in9gk8-b"
	pathC = "/nix/store/0c9qv0qw8b5kk0s0chh3w7h3j8wyj5nh-c"
)

func newProfile(t *testing.T) *Profile {
	t.Helper()
	p, err := Open(filepath.Join(t.TempDir(), "profiles", "system"), "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// links returns "name -> target" for every entry of the profile's directory.
func links(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.Type()&os.ModeSymlink == 0 {
			continue
		}
		target, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Name()+" -> "+target)
	}
	sort.Strings(out)
	return out
}

func mustSet(t *testing.T, p *Profile, target string) Generation {
	t.Helper()
	g, _, err := p.Set(target)
	if err != nil {
		t.Fatalf("Set(%s): %v", target, err)
	}
	return g
}

func TestSetLayout(t *testing.T) {
	tests := []struct {
		name    string
		sets    []string
		want    []string
		created []bool
	}{
		{"one", []string{pathA}, []string{"system -> system-1-link", "system-1-link -> " + pathA}, []bool{true}},
		{"same path twice makes no new generation", []string{pathA, pathA},
			[]string{"system -> system-1-link", "system-1-link -> " + pathA}, []bool{true, false}},
		{"back to an older path makes a new one", []string{pathA, pathB, pathA},
			[]string{"system -> system-3-link", "system-1-link -> " + pathA, "system-2-link -> " + pathB, "system-3-link -> " + pathA},
			[]bool{true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProfile(t)
			for i, s := range tt.sets {
				_, created, err := p.Set(s)
				if err != nil {
					t.Fatal(err)
				}
				if created != tt.created[i] {
					t.Errorf("Set #%d created = %v, want %v", i, created, tt.created[i])
				}
			}
			if got := links(t, filepath.Dir(p.Path)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("links:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSetAfterRollbackSwitchesToNewest(t *testing.T) {
	p := newProfile(t)
	mustSet(t, p, pathA)
	mustSet(t, p, pathB)
	if _, _, err := p.Rollback(); err != nil {
		t.Fatal(err)
	}
	// newest (2) already points at B: no generation 3, profile back on 2
	g := mustSet(t, p, pathB)
	if g.Number != 2 {
		t.Errorf("generation = %d, want 2", g.Number)
	}
	cur, err := p.Current()
	if err != nil || cur.Number != 2 {
		t.Errorf("Current = %d, %v; want 2", cur.Number, err)
	}
}

func TestRollbackAndSwitch(t *testing.T) {
	p := newProfile(t)
	for _, s := range []string{pathA, pathB, pathC} {
		mustSet(t, p, s)
	}
	from, to, err := p.Rollback()
	if err != nil || from != 3 || to != 2 {
		t.Fatalf("Rollback = %d, %d, %v; want 3, 2", from, to, err)
	}
	if err := p.SwitchGeneration(1); err != nil {
		t.Fatal(err)
	}
	_, _, err = p.Rollback()
	if want := "no profile version older than the current (1) exists: no such generation"; err == nil || err.Error() != want {
		t.Errorf("Rollback at 1: %v, want %q", err, want)
	}
	err = p.SwitchGeneration(9)
	if want := "profile version 9 does not exist: no such generation"; err == nil || err.Error() != want {
		t.Errorf("SwitchGeneration(9): %v, want %q", err, want)
	}
	gens, err := p.List()
	if err != nil {
		t.Fatal(err)
	}
	var cur []int
	for _, g := range gens {
		if g.Current {
			cur = append(cur, g.Number)
		}
	}
	if !reflect.DeepEqual(cur, []int{1}) {
		t.Errorf("current generations = %v, want [1]", cur)
	}
}

func TestRollbackSkipsDeleted(t *testing.T) {
	p := newProfile(t)
	for _, s := range []string{pathA, pathB, pathC} {
		mustSet(t, p, s)
	}
	if _, err := p.Delete(DeleteSpec{Numbers: []int{2}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, to, err := p.Rollback(); err != nil || to != 1 {
		t.Errorf("Rollback to %d, %v; want 1", to, err)
	}
}

func TestParseDeleteSpec(t *testing.T) {
	tests := []struct {
		args    []string
		want    DeleteSpec
		wantErr string
	}{
		{[]string{"old"}, DeleteSpec{Old: true}, ""},
		{[]string{"+3"}, DeleteSpec{Keep: 3}, ""},
		{[]string{"30d"}, DeleteSpec{ByAge: true, OlderDur: 30 * 24 * time.Hour}, ""},
		{[]string{"0d"}, DeleteSpec{}, "invalid number of days specifier '0d'"},
		{[]string{"1", "4"}, DeleteSpec{Numbers: []int{1, 4}}, ""},
		{[]string{"+0"}, DeleteSpec{}, "invalid number of generations to keep '+0'"},
		{[]string{"foo"}, DeleteSpec{}, "invalid generation number 'foo'"},
		{[]string{"-1"}, DeleteSpec{}, "invalid generation number '-1'"},
		{[]string{"xd"}, DeleteSpec{}, "invalid number of days specifier 'xd'"},
		{[]string{"1", "old"}, DeleteSpec{}, "invalid generation number 'old'"},
		{nil, DeleteSpec{}, "no generations to delete given"},
	}
	for _, tt := range tests {
		got, err := ParseDeleteSpec(tt.args)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDeleteSpec(%q) error = %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseDeleteSpec(%q) = %+v, %v; want %+v", tt.args, got, err, tt.want)
		}
	}
}

func FuzzParseDeleteSpec(f *testing.F) {
	for _, s := range []string{"old", "+3", "30d", "1", "-1", "+", "d", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseDeleteSpec([]string{s})
		if err != nil {
			return
		}
		if spec.Keep < 0 || spec.OlderDur < 0 {
			t.Errorf("ParseDeleteSpec(%q) = %+v: negative", s, spec)
		}
		for _, n := range spec.Numbers {
			if n < 0 {
				t.Errorf("ParseDeleteSpec(%q): negative number %d", s, n)
			}
		}
	})
}

// setTime sets a generation link's own mtime.
func setTime(t *testing.T, p *Profile, n int, tm time.Time) {
	t.Helper()
	ts := []unix.Timespec{unix.NsecToTimespec(tm.UnixNano()), unix.NsecToTimespec(tm.UnixNano())}
	link := filepath.Join(filepath.Dir(p.Path), p.linkName(n))
	if err := unix.UtimesNanoAt(unix.AT_FDCWD, link, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		t.Fatal(err)
	}
}

func TestDelete(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name    string
		gens    int
		current int
		spec    DeleteSpec
		want    []int // deleted
		wantErr string
	}{
		{"numbers", 5, 5, DeleteSpec{Numbers: []int{1, 3, 9}}, []int{1, 3}, ""},
		{"current refused, nothing deleted", 5, 4, DeleteSpec{Numbers: []int{1, 4}}, nil, "cannot delete current version of profile"},
		{"old keeps newer than current", 5, 3, DeleteSpec{Old: true}, []int{1, 2, 4, 5}, ""},
		{"+2 from current 4", 6, 4, DeleteSpec{Keep: 2}, []int{1, 2}, ""},
		{"+5 keeps all", 3, 3, DeleteSpec{Keep: 5}, nil, ""},
		// generation i is i days old counted from 6: gen 1 = 5 days old … gen 5 = 1 day old
		{"3d keeps the one current then", 5, 5, DeleteSpec{ByAge: true, OlderDur: 3 * day}, []int{1}, ""},
		{"all old keeps the newest and never the current", 5, 1, DeleteSpec{ByAge: true, OlderDur: time.Hour}, []int{2, 3, 4}, ""},
		{"all old", 5, 5, DeleteSpec{ByAge: true, OlderDur: time.Hour}, []int{1, 2, 3, 4}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProfile(t)
			for i := 1; i <= tt.gens; i++ {
				mustSet(t, p, fmt.Sprintf("/nix/store/%032d-g%d", i, i))
				setTime(t, p, i, now.Add(-time.Duration(6-i)*day))
			}
			if err := p.SwitchGeneration(tt.current); err != nil {
				t.Fatal(err)
			}
			got, err := p.Delete(tt.spec, now)
			if tt.wantErr != "" {
				want := tt.wantErr + " '" + p.Path + "'"
				if err == nil || err.Error() != want {
					t.Fatalf("error = %v, want %q", err, want)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("deleted %v, want %v", got, tt.want)
			}
			gens, _ := p.List()
			if len(gens) != tt.gens-len(tt.want) {
				t.Errorf("%d generations left, want %d", len(gens), tt.gens-len(tt.want))
			}
			if cur, err := p.Current(); err != nil || cur.Number != tt.current {
				t.Errorf("current = %d, %v; want %d", cur.Number, err, tt.current)
			}
		})
	}
}

func TestConcurrentSetLosesNothing(t *testing.T) {
	p := newProfile(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := *p // separate lock file descriptors
			if _, _, err := q.Set(fmt.Sprintf("/nix/store/%032d-x", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	gens, err := p.List()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, g := range gens {
		if g.Number != i+1 {
			t.Errorf("generation #%d has number %d", i, g.Number)
		}
		seen[g.Target] = true
	}
	if len(gens) != 8 || len(seen) != 8 {
		t.Errorf("%d generations with %d distinct targets, want 8 and 8", len(gens), len(seen))
	}
}

func TestListIgnoresForeignEntries(t *testing.T) {
	p := newProfile(t)
	mustSet(t, p, pathA)
	dir := filepath.Dir(p.Path)
	for _, n := range []string{"system-x-link", "system--1-link", "system-2-link.tmp", "other-3-link", "system-profiles"} {
		os.Symlink(pathB, filepath.Join(dir, n))
	}
	os.WriteFile(filepath.Join(dir, "system-4-link"), nil, 0o644) // not a symlink
	gens, err := p.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != 1 || gens[0].Number != 1 || !gens[0].Current {
		t.Errorf("List = %+v, want only generation 1 (current)", gens)
	}
}

func TestEmptyProfile(t *testing.T) {
	p := newProfile(t)
	gens, err := p.List()
	if err != nil || len(gens) != 0 {
		t.Errorf("List of a missing profile = %v, %v; want none", gens, err)
	}
	if _, err := p.Current(); err == nil {
		t.Error("Current of an empty profile: no error")
	}
	if _, _, err := p.Rollback(); err == nil {
		t.Error("Rollback of an empty profile: no error")
	}
}
