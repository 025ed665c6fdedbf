package lib

import (
	"encoding/json"
	"strings"
	"testing"
)

// benchSummary is the part of lib/tests/bench's output the test checks.
type benchSummary struct {
	HostName string `json:"hostName"`
	Label    string `json:"label"`
	Etc      []struct {
		Target string `json:"target"`
		Mode   string `json:"mode"`
	} `json:"etc"`
	Units    map[string]string `json:"units"`
	Services map[string]struct {
		WantedBy      []string          `json:"wantedBy"`
		ServiceConfig map[string]any    `json:"serviceConfig"`
		Environment   map[string]string `json:"environment"`
	} `json:"services"`
	Users map[string]struct {
		UID         *int     `json:"uid"`
		Group       string   `json:"group"`
		Home        string   `json:"home"`
		Shell       string   `json:"shell"`
		ExtraGroups []string `json:"extraGroups"`
		Keys        int      `json:"keys"`
	} `json:"users"`
	Groups           map[string]*int   `json:"groups"`
	Sysctl           map[string]any    `json:"sysctl"`
	Variables        map[string]string `json:"variables"`
	KernelParams     []string          `json:"kernelParams"`
	InitrdModules    []string          `json:"initrdModules"`
	Activation       string            `json:"activation"`
	Warnings         int               `json:"warnings"`
	FailedAssertions []string          `json:"failedAssertions"`
}

// evalBench evaluates the benchmark configuration.
func evalBench(t *testing.T) benchSummary {
	t.Helper()
	res := evalNix(t, testDir(t, "bench"), "--eval", "--strict", "--json", "default.nix")
	if res.err != nil {
		t.Fatalf("evaluate lib/tests/bench: %v\n%s", res.err, res.stderr)
	}
	var s benchSummary
	if err := json.Unmarshal([]byte(res.stdout), &s); err != nil {
		t.Fatalf("decode lib/tests/bench output: %v", err)
	}
	return s
}

// TestBenchConfiguration checks that the NixOS-shaped benchmark evaluates
// to what its modules and configuration say, so the benchmark measures a
// working evaluation.
func TestBenchConfiguration(t *testing.T) {
	s := evalBench(t)
	checks := []struct {
		what      string
		got, want any
	}{
		{"hostName (fqdn)", s.HostName, "web1.example.org"},
		{"label", s.Label, "25.05-frazil"},
		{"nginx Restart (mkForce over the module's value)", s.Services["nginx"].ServiceConfig["Restart"], "on-failure"},
		{"app CACHE_URL (mkIf on another option)", s.Services["app"].Environment["CACHE_URL"], "redis://127.0.0.1:6380"},
		{"sshd wantedBy", strings.Join(s.Services["sshd"].WantedBy, ","), "multi-user.target"},
		{"redis servers (disabled one absent)", s.Services["redis-unused"].WantedBy == nil && s.Services["redis-cache"].WantedBy != nil, true},
		{"backup-db timer (startAt)", s.Units["backup-db.timer"] != "", true},
		{"alice home (mkDefault in a submodule)", s.Users["alice"].Home, "/home/alice"},
		{"deploy home (plain beats mkDefault)", s.Users["deploy"].Home, "/srv/deploy"},
		{"alice shell (shellPackage)", s.Users["alice"].Shell, "/nix/store/"},
		{"alice groups", strings.Join(s.Users["alice"].ExtraGroups, ","), "wheel,systemd-journal"},
		{"alice keys", s.Users["alice"].Keys, 1},
		{"nginx uid (static id)", s.Users["nginx"].UID != nil && *s.Users["nginx"].UID == 60, true},
		{"sysctl default_qdisc (plain beats mkDefault)", s.Sysctl["net.core.default_qdisc"], "fq"},
		{"sysctl use_tempaddr (changed option)", s.Sysctl["net.ipv6.conf.all.use_tempaddr"], float64(2)},
		{"EDITOR (plain beats mkDefault)", s.Variables["EDITOR"], "vim"},
		{"PATH (list variable joined by apply)", s.Variables["PATH"], "/run/wrappers/bin:/run/current-system/sw/bin"},
		{"first kernel parameter (module before configuration)", s.KernelParams[0], "console=ttyS0,115200"},
		{"initrd modules include the microcode (mkIf)", strings.Contains(strings.Join(s.InitrdModules, " "), "microcode"), true},
		{"activation order (toposort)", strings.Index(s.Activation, "# etc") > strings.Index(s.Activation, "# users"), true},
		{"warnings (renamed option)", s.Warnings, 1},
		{"failed assertions", len(s.FailedAssertions), 0},
	}
	for _, c := range checks {
		got, want := c.got, c.want
		if gs, ok := got.(string); ok && want == "/nix/store/" {
			got, want = strings.HasPrefix(gs, "/nix/store/"), true
		}
		if got != want {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	if len(s.Etc) < 30 || len(s.Services) < 20 || len(s.Users) < 15 {
		t.Errorf("got %d /etc entries, %d services, %d users; want at least 30, 20, 15", len(s.Etc), len(s.Services), len(s.Users))
	}
	for _, e := range s.Etc {
		if e.Target == "sudoers" && e.Mode != "0440" {
			t.Errorf("/etc/sudoers mode %q, want 0440", e.Mode)
		}
	}
}

// BenchmarkBenchConfiguration evaluates the NixOS-shaped benchmark once per
// iteration (process start included); scripts/bench-lib compares
// evaluators.
func BenchmarkBenchConfiguration(b *testing.B) {
	dir := testDir(b, "bench")
	for i := 0; i < b.N; i++ {
		if res := evalNix(b, dir, "--eval", "--strict", "--json", "default.nix"); res.err != nil {
			b.Fatalf("evaluate: %v\n%s", res.err, res.stderr)
		}
	}
}
