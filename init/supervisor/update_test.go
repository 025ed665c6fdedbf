package supervisor

import (
	"reflect"
	"strings"
	"testing"
)

func TestUpdate(t *testing.T) {
	h := newHarness(t)
	sup := h.start("",
		h.svc("a", "serve", nil),
		h.svc("b", "serve", nil),
		h.svc("c", "serve", func(s *Spec) { s.After = []string{"b"} }),
	)
	h.waitFor("three starts", func() bool { return len(h.events()) == 3 })
	pidA := h.status("a").PID
	changed := h.svc("b", "serve", func(s *Spec) { s.Environment["VERSION"] = "2" })
	ch, err := sup.Update([]Spec{
		h.svc("a", "serve", nil),
		changed,
		h.svc("d", "serve", func(s *Spec) { s.After = []string{"b"} }),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Changes{Stopped: []string{"c"}, Started: []string{"d"}, Restarted: []string{"b"}, Unchanged: []string{"a"}}
	if !reflect.DeepEqual(ch, want) {
		t.Errorf("changes = %+v, want %+v", ch, want)
	}
	h.waitFor("b and d to start", func() bool { return len(h.events()) == 7 })
	if got, want := strings.Join(h.events()[3:5], " "), "stop_c stop_b"; got != want {
		t.Errorf("stops %q, want %q", got, want)
	}
	var names []string
	for _, s := range sup.Status() {
		names = append(names, s.Name)
	}
	if strings.Join(names, " ") != "a b d" {
		t.Errorf("services after the update: %q, want a b d", names)
	}
	if st := h.status("a"); st.PID != pidA || st.State != StateRunning {
		t.Errorf("a was touched: pid %d -> %d, state %s", pidA, st.PID, st.State)
	}
	if err := sup.StopService("c"); err == nil {
		t.Errorf("c can still be controlled after it was removed")
	}
	logs, _ := sup.Logs("b", 0)
	if n := strings.Count(strings.Join(logs, "\n"), "hello from b"); n != 2 {
		t.Errorf("b's logs have %d greetings, want both runs':\n%s", n, strings.Join(logs, "\n"))
	}
}

func TestUpdateRejectsBadPlan(t *testing.T) {
	h := newHarness(t)
	sup := h.start("", h.svc("a", "serve", nil))
	h.waitFor("a's start", func() bool { return len(h.events()) == 1 })
	_, err := sup.Update([]Spec{
		h.svc("x", "serve", func(s *Spec) { s.After = []string{"y"} }),
		h.svc("y", "serve", func(s *Spec) { s.After = []string{"x"} }),
	})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("Update with a cycle: %v", err)
	}
	if st := h.status("a"); st.State != StateRunning {
		t.Errorf("a is %s after a rejected update", st.State)
	}
	if got := strings.Join(h.events(), " "); got != "start_a" {
		t.Errorf("events %q after a rejected update", got)
	}
}
