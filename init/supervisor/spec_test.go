package supervisor

import (
	"strings"
	"testing"
	"time"
)

func TestParseDefaults(t *testing.T) {
	specs, err := Parse([]byte(`{"services":[
		{"name":"web","exec":["/bin/web"]},
		{"name":"init-db","exec":["/bin/db-init"],"type":"oneshot"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	web, db := specs[0], specs[1]
	for _, c := range []struct{ what, got, want string }{
		{"web type", web.Type, TypeSimple},
		{"web restart", web.Restart, RestartOnFailure},
		{"web user", web.User, "root"},
		{"web dir", web.WorkingDirectory, "/"},
		{"oneshot restart", db.Restart, RestartNo},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if web.RestartSec != 1 {
		t.Errorf("restartSec = %v, want 1", web.RestartSec)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"services":[{"name":"a"}]}`, `service "a": exec is empty`},
		{`{"services":[{"name":"a/b","exec":["x"]}]}`, `invalid service name "a/b"`},
		{`{"services":[{"name":"a","exec":["x"],"type":"forking"}]}`, `unknown type "forking"`},
		{`{"services":[{"name":"a","exec":["x"],"restart":"sometimes"}]}`, `unknown restart policy "sometimes"`},
		{`{"services":[{"name":"a","exec":["x"]},{"name":"a","exec":["y"]}]}`, `service "a" declared twice`},
		{`{"services":[{"name":"a","exec":["x"],"preStart":[[]]}]}`, `preStart 0 is empty`},
		{`{"services":[{"name":"a","exec":["x"],"bogus":1}]}`, `unknown field "bogus"`},
		{`{"services":[{"name":"a","exec":["x"],"restartSec":-1}]}`, `negative restartSec`},
		{`{"services":[{"name":"a","exec":["x"],"tty":"ttyS0"}]}`, `tty "ttyS0" is not a device under /dev`},
		{`{"services":[{"name":"a","exec":["x"],"tty":"/dev/../etc/x"}]}`, `is not a device under /dev`},
		{`{"services":[{"name":"a","exec":["x"],"tty":"/dev/ttyS0","type":"notify-ready"}]}`, `cannot be notify-ready`},
		{`[`, `parse:`},
	} {
		_, err := Parse([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%s) error = %v, want containing %q", c.json, err, c.want)
		}
	}
}

func TestEnv(t *testing.T) {
	s := Spec{User: "alice", Path: []string{"/nix/store/a-x"}, Environment: map[string]string{"K": "V", "HOME": "/override"}}
	got := strings.Join(s.Env("/home/alice"), " ")
	want := "HOME=/override K=V LOGNAME=alice PATH=/nix/store/a-x/bin:/nix/store/a-x/sbin:/run/current-system/sw/bin:/run/current-system/sw/sbin USER=alice"
	if got != want {
		t.Errorf("Env =\n %s\nwant\n %s", got, want)
	}
}

func specsOf(t *testing.T, svcs ...Spec) []Spec {
	t.Helper()
	for i := range svcs {
		if svcs[i].Exec == nil {
			svcs[i].Exec = []string{"/bin/true"}
		}
		svcs[i].setDefaults()
	}
	return svcs
}

func names(plan []*Spec) string {
	var n []string
	for _, s := range plan {
		n = append(n, s.Name)
	}
	return strings.Join(n, " ")
}

func TestPlan(t *testing.T) {
	mu := []string{DefaultTarget}
	for _, c := range []struct {
		name  string
		specs []Spec
		want  string
	}{
		{"name order without deps", []Spec{{Name: "b", WantedBy: mu}, {Name: "a", WantedBy: mu}}, "a b"},
		{"after orders", []Spec{{Name: "a", WantedBy: mu, After: []string{"b"}}, {Name: "b", WantedBy: mu}}, "b a"},
		{"requires pulls in and orders", []Spec{{Name: "a", WantedBy: mu, Requires: []string{"z"}}, {Name: "z"}}, "z a"},
		{"wants pulls in without ordering", []Spec{{Name: "b", WantedBy: mu, Wants: []string{"a2"}}, {Name: "a2"}}, "a2 b"},
		{"wants then after", []Spec{{Name: "a", WantedBy: mu, Wants: []string{"b"}, After: []string{"b"}}, {Name: "b"}}, "b a"},
		{"unwanted left out", []Spec{{Name: "a", WantedBy: mu}, {Name: "b"}}, "a"},
		{"after an unplanned service is ignored", []Spec{{Name: "a", WantedBy: mu, After: []string{"b", "nothere"}}, {Name: "b"}}, "a"},
		{"chain", []Spec{{Name: "c", WantedBy: mu, After: []string{"b"}}, {Name: "b", WantedBy: mu, After: []string{"a"}}, {Name: "a", WantedBy: mu}}, "a b c"},
		{"other target", []Spec{{Name: "a", WantedBy: []string{"other.target"}}}, ""},
	} {
		plan, err := Plan(specsOf(t, c.specs...), DefaultTarget)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := names(plan); got != c.want {
			t.Errorf("%s: plan = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestPlanErrors(t *testing.T) {
	mu := []string{DefaultTarget}
	for _, c := range []struct {
		name  string
		specs []Spec
		want  string
	}{
		{"cycle", []Spec{{Name: "a", WantedBy: mu, After: []string{"b"}}, {Name: "b", WantedBy: mu, Requires: []string{"c"}}, {Name: "c", After: []string{"a"}}},
			"dependency cycle: a -> b -> c -> a"},
		{"self-requires is not a cycle but unknown requires is an error", []Spec{{Name: "a", WantedBy: mu, Requires: []string{"ghost"}}},
			`service "a" requires unknown service "ghost"`},
	} {
		_, err := Plan(specsOf(t, c.specs...), DefaultTarget)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	p := Policy{MaxDelay: 8 * time.Second, ResetAfter: time.Minute, CrashLoopFailures: 5, CrashLoopWindow: 10 * time.Second, CrashLoopRetry: time.Hour}
	var b backoff
	t0 := time.Unix(1000, 0)
	type step struct {
		at     time.Duration // since t0
		uptime time.Duration
		delay  time.Duration
		loop   bool
	}
	for i, s := range []step{
		{0, 0, time.Second, false},
		{20 * time.Second, 0, 2 * time.Second, false},
		{40 * time.Second, 0, 4 * time.Second, false},
		{60 * time.Second, 0, 8 * time.Second, false},
		{80 * time.Second, 0, 8 * time.Second, false},            // capped
		{200 * time.Second, 2 * time.Minute, time.Second, false}, // healthy run resets
		{201 * time.Second, 0, 2 * time.Second, false},
		{202 * time.Second, 0, 4 * time.Second, false},
		{203 * time.Second, 0, 8 * time.Second, false},
		{204 * time.Second, 0, time.Hour, true}, // 5 failures within 10 s
		{205 * time.Second, 0, 8 * time.Second, false},
	} {
		d, loop := b.failed(p, time.Second, t0.Add(s.at), s.uptime)
		if d != s.delay || loop != s.loop {
			t.Errorf("failure %d: delay, loop = %v, %v; want %v, %v", i, d, loop, s.delay, s.loop)
		}
	}
}

func TestRing(t *testing.T) {
	r := newRing(3)
	if got, _, _ := r.last(0); len(got) != 0 {
		t.Errorf("empty ring has %q", got)
	}
	for _, l := range []string{"a", "b"} {
		r.add(l)
	}
	_, seq, _ := r.last(0)
	for _, l := range []string{"c", "d"} {
		r.add(l)
	}
	for _, c := range []struct {
		n    int
		want string
	}{{0, "b c d"}, {2, "c d"}, {10, "b c d"}} {
		got, _, _ := r.last(c.n)
		if strings.Join(got, " ") != c.want {
			t.Errorf("last(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	got, _, _ := r.since(seq)
	if strings.Join(got, " ") != "c d" {
		t.Errorf("since = %q, want c d", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"services":[{"name":"a","exec":["/bin/a"],"after":["b"],"requires":["b"]},{"name":"b","exec":["b"],"wantedBy":["multi-user.target"]}]}`))
	f.Add([]byte(`{"services":[{"name":"a","exec":["x"],"type":"oneshot","restart":"always","restartSec":0.5}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		specs, err := Parse(data)
		if err != nil {
			return
		}
		for i := range specs {
			if err := specs[i].Validate(); err != nil {
				t.Fatalf("Parse accepted an invalid spec: %v", err)
			}
		}
		Plan(specs, DefaultTarget) // must not panic, cycles or not
	})
}
