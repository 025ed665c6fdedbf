package modules

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/supervisor"
	"github.com/frazil/frazil/kernel"
)

var (
	systems  = []string{"x86_64-linux", "aarch64-linux", "i686-linux"}
	examples = []string{"minimal", "web-appliance", "embedded"}
	debArch  = map[string]string{"x86_64-linux": "amd64", "aarch64-linux": "arm64", "i686-linux": "i386"}
)

// repoRoot is the repository's root directory.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// summaryExpr evaluates a configuration with the stub package set and
// returns what the tests look at: the toplevel's derivation, the services
// and activation data, the kernel parameters, the kernel and the initrd.
func summaryExpr(root, configuration, system string) string {
	return fmt.Sprintf(`
let
  sys = import %[1]s/modules {
    configuration = %[2]s;
    system = %[3]q;
    pkgs = import %[1]s/modules/tests/stub-pkgs.nix { system = %[3]q; };
  };
  c = sys.config;
in {
  drvPath = sys.toplevel.drvPath;
  name = sys.toplevel.name;
  services = builtins.toJSON { services = c.system.services; };
  activation = builtins.toJSON c.system.activationData;
  kernelParams = c.system.kernelParams;
  kernel = c.boot.kernelPackages.kernel.outPath;
  kernelDrv = c.boot.kernelPackages.kernel.drvPath;
  imageFile = c.boot.kernelPackages.kernel.imageFile;
  initrdModules = c.system.build.initrd.modules;
  stage1 = c.boot.initrd.stage1Config;
  bootloader = c.boot.loader.settings;
  etc = map (e: e.target) c.system.build.etc.entries;
  # Services whose store programs carry no string context: their
  # derivations would not be inputs of the toplevel, nor be built.
  uncontexted = map (s: s.name) (builtins.filter
    (s: builtins.substring 0 11 (builtins.head s.exec) == "/nix/store/" && builtins.getContext (builtins.head s.exec) == { })
    c.system.services);
  warnings = c.warnings;
}`, root, configuration, system)
}

// summary is summaryExpr's result.
type summary struct {
	DrvPath       string         `json:"drvPath"`
	Name          string         `json:"name"`
	Services      string         `json:"services"`
	Activation    string         `json:"activation"`
	KernelParams  []string       `json:"kernelParams"`
	Kernel        string         `json:"kernel"`
	KernelDrv     string         `json:"kernelDrv"`
	ImageFile     string         `json:"imageFile"`
	InitrdModules []string       `json:"initrdModules"`
	Stage1        map[string]any `json:"stage1"`
	Bootloader    map[string]any `json:"bootloader"`
	Etc           []string       `json:"etc"`
	Uncontexted   []string       `json:"uncontexted"`
	Warnings      []string       `json:"warnings"`
}

// evalJSON evaluates expr with Frazil's evaluator (computing store paths
// without writing them) and returns its JSON.
func evalJSON(t testing.TB, expr, dir string) (string, error) {
	t.Helper()
	ev := eval.New(eval.Options{Stderr: testWriter{t}})
	p, err := ev.ParseString(expr, "«test»", dir)
	if err != nil {
		return "", err
	}
	v, err := ev.Eval(p)
	if err != nil {
		return "", err
	}
	return ev.JSON(v)
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func evalSummary(t testing.TB, configuration, system string) *summary {
	t.Helper()
	root := repoRoot(t)
	js, err := evalJSON(t, summaryExpr(root, configuration, system), root)
	if err != nil {
		t.Fatalf("evaluate %s for %s: %v", configuration, system, err)
	}
	var s summary
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func exampleFile(t testing.TB, name string) string {
	return filepath.Join(repoRoot(t), "examples", name, "configuration.nix")
}

// services parses a summary's services.json as PID 1 does.
func (s *summary) services(t *testing.T) map[string]supervisor.Spec {
	t.Helper()
	specs, err := supervisor.Parse([]byte(s.Services))
	if err != nil {
		t.Fatalf("services.json does not parse: %v\n%s", err, s.Services)
	}
	m := map[string]supervisor.Spec{}
	for _, sp := range specs {
		m[sp.Name] = sp
	}
	return m
}

// activation parses a summary's activation.json as activation does.
func (s *summary) activation(t *testing.T) *activation.Data {
	t.Helper()
	file := filepath.Join(t.TempDir(), "activation.json")
	os.WriteFile(file, []byte(s.Activation), 0o644)
	d, err := activation.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func userByName(d *activation.Data, name string) *activation.User {
	for i := range d.Users {
		if d.Users[i].Name == name {
			return &d.Users[i]
		}
	}
	return nil
}

func groupByName(d *activation.Data, name string) *activation.Group {
	for i := range d.Groups {
		if d.Groups[i].Name == name {
			return &d.Groups[i]
		}
	}
	return nil
}

// TestExamplesEvaluate evaluates every example for every platform and checks
// the parts every system has.
func TestExamplesEvaluate(t *testing.T) {
	lock, err := kernel.ReadLock(filepath.Join(repoRoot(t), "kernel/kernels.lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	drvs := map[string]string{}
	for _, ex := range examples {
		for _, sys := range systems {
			t.Run(ex+"/"+sys, func(t *testing.T) {
				s := evalSummary(t, exampleFile(t, ex), sys)
				if prev, ok := drvs[s.DrvPath]; ok {
					t.Errorf("%s has the same toplevel derivation as %s", s.DrvPath, prev)
				}
				drvs[s.DrvPath] = ex + "/" + sys
				if !strings.HasPrefix(s.Name, "frazil-system-") || !strings.HasSuffix(s.DrvPath, "-"+s.Name+".drv") {
					t.Errorf("toplevel %s (%s): want frazil-system-<host>-<label>", s.Name, s.DrvPath)
				}
				e, err := lock.Entry(debArch[sys])
				if err != nil {
					t.Fatal(err)
				}
				if s.Kernel != e.StorePath {
					t.Errorf("kernel %s, want the lock's %s", s.Kernel, e.StorePath)
				}
				if want := map[string]string{"aarch64-linux": "Image"}[sys]; s.ImageFile != want && !(want == "" && s.ImageFile == "bzImage") {
					t.Errorf("kernel image %s", s.ImageFile)
				}
				// Every program a service runs is built with the system: its
				// derivation is in the string's context.
				if len(s.Uncontexted) != 0 {
					t.Errorf("services whose programs are not inputs of the toplevel: %q", s.Uncontexted)
				}
				d := s.activation(t)
				if root := userByName(d, "root"); root == nil || root.UID != 0 || root.Home != "/root" {
					t.Errorf("root user %+v", root)
				}
				for _, f := range []string{"hostname", "hosts", "fstab", "os-release", "nix/nix.conf"} {
					if !contains(s.Etc, f) {
						t.Errorf("etc has no %s: %v", f, s.Etc)
					}
				}
				if len(s.Warnings) != 0 {
					t.Errorf("warnings: %q", s.Warnings)
				}
			})
		}
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestWebAppliance(t *testing.T) {
	s := evalSummary(t, exampleFile(t, "web-appliance"), "x86_64-linux")
	web, ok := s.services(t)["hello-web"]
	if !ok {
		t.Fatalf("no hello-web service in %s", s.Services)
	}
	if len(web.Exec) != 3 || !strings.HasSuffix(web.Exec[0], "-hello-web-1.0/bin/hello-web") || web.Exec[1] != "-listen" || web.Exec[2] != ":8080" {
		t.Errorf("exec = %q", web.Exec)
	}
	if web.User != "web" || web.Group != "web" || web.WorkingDirectory != "/var/lib/web" || web.Restart != "always" || web.RestartSec != 2 || web.Type != "simple" {
		t.Errorf("hello-web = %+v", web)
	}
	if !reflect.DeepEqual(web.WantedBy, []string{"multi-user.target"}) || len(web.After) != 0 {
		t.Errorf("wantedBy %q after %q (targets in after are dropped)", web.WantedBy, web.After)
	}
	if web.Environment["HELLO_GREETING"] != "Hello from web" {
		t.Errorf("environment = %v", web.Environment)
	}
	if len(web.PreStart) != 1 || !strings.Contains(web.PreStart[0][0], "-unit-script-hello-web-pre-start") {
		t.Errorf("preStart = %q", web.PreStart)
	}
	sshd := s.services(t)["sshd"]
	if !strings.HasSuffix(sshd.Exec[0], "/bin/frazil-sshd") || !strings.Contains(strings.Join(sshd.Exec, " "), "-listen :22") {
		t.Errorf("sshd exec = %q", sshd.Exec)
	}
	d := s.activation(t)
	u := userByName(d, "web")
	if u == nil || u.UID != 999 || u.Group != "web" || u.IsNormalUser || !u.CreateHome || u.Home != "/var/lib/web" {
		t.Errorf("user web = %+v; want a system user with uid 999", u)
	}
	if g := groupByName(d, "web"); g == nil || g.GID != 999 {
		t.Errorf("group web = %+v; want gid 999", g)
	}
	if root := userByName(d, "root"); root == nil || len(root.AuthorizedKeys) != 1 {
		t.Errorf("root's authorized keys: %+v", root)
	}
	if !contains(s.Etc, "hello-web/motd") {
		t.Errorf("etc = %v", s.Etc)
	}
	if s.Bootloader["timeout"] != 2.0 || s.Bootloader["biosSupport"] != true {
		t.Errorf("bootloader = %v", s.Bootloader)
	}
}

func TestEmbedded(t *testing.T) {
	s := evalSummary(t, exampleFile(t, "embedded"), "aarch64-linux")
	d := s.activation(t)
	want := activation.Network{
		Interfaces:     []activation.Interface{{Name: "eth0", DHCP: false, Addresses: []string{"192.168.50.7/24"}}},
		DefaultGateway: "192.168.50.1",
		Nameservers:    []string{"192.168.50.1", "9.9.9.9"},
		DHCP:           false,
	}
	if !reflect.DeepEqual(d.Network, want) {
		t.Errorf("network = %+v, want %+v", d.Network, want)
	}
	if d.HostName != "sensor-07" || !reflect.DeepEqual(d.KernelModules, []string{"virtio_net"}) || d.Variables["SENSOR_ID"] != "sensor-07" {
		t.Errorf("activation = %+v", d)
	}
	if !reflect.DeepEqual(s.InitrdModules, []string{"virtio_pci", "virtio_blk", "ext4"}) {
		t.Errorf("initrd modules = %q, want only the configured ones", s.InitrdModules)
	}
	if s.Stage1["root"] != "LABEL=frazil-root" || s.Stage1["rootOptions"] != "noatime" || s.Stage1["fsType"] != "ext4" {
		t.Errorf("stage1.json = %v", s.Stage1)
	}
	if got, want := strings.Join(s.KernelParams, " "), "console=tty0 console=ttyAMA0,115200 loglevel=4 quiet"; got != want {
		t.Errorf("kernel params %q, want %q", got, want)
	}
	svc := s.services(t)
	setup, log := svc["sensor-setup"], svc["sensor-log"]
	if setup.Type != "oneshot" || setup.Restart != "no" {
		t.Errorf("sensor-setup = %+v", setup)
	}
	if !reflect.DeepEqual(log.Requires, []string{"sensor-setup"}) || !reflect.DeepEqual(log.After, []string{"sensor-setup"}) || log.Restart != "on-failure" || len(log.Path) != 1 {
		t.Errorf("sensor-log = %+v", log)
	}
	if plan, err := supervisor.Plan(mapValues(svc), supervisor.DefaultTarget); err != nil || len(plan) != 2 || plan[0].Name != "sensor-setup" {
		t.Errorf("supervisor plan = %v, %v; want sensor-setup first", plan, err)
	}
}

func mapValues(m map[string]supervisor.Spec) []supervisor.Spec {
	var l []supervisor.Spec
	for _, v := range m {
		l = append(l, v)
	}
	return l
}

// TestConsoleShell checks services.getty.autologinUser and the
// StandardInput/TTYPath translation it rests on: a shell service on the
// platform's serial console, as the user, restarted when it exits.
func TestConsoleShell(t *testing.T) {
	for _, c := range []struct{ system, tty string }{{"x86_64-linux", "/dev/ttyS0"}, {"aarch64-linux", "/dev/ttyAMA0"}} {
		s := evalSummary(t, `{ services.getty.autologinUser = "root"; system.stateVersion = "0.1"; }`, c.system)
		sh, ok := s.services(t)["console-shell"]
		if !ok {
			t.Fatalf("%s: no console-shell service in %s", c.system, s.Services)
		}
		if sh.TTY != c.tty || sh.User != "root" || sh.Restart != "always" || !reflect.DeepEqual(sh.Exec, []string{"/run/current-system/sw/bin/sh"}) ||
			!reflect.DeepEqual(sh.WantedBy, []string{"multi-user.target"}) {
			t.Errorf("%s: console-shell = %+v", c.system, sh)
		}
	}
	// Without the option, and for StandardInput = "null", no service has a terminal.
	s := evalSummary(t, `{ system.stateVersion = "0.1"; systemd.services.a = { wantedBy = [ "multi-user.target" ]; serviceConfig = { ExecStart = "/bin/a"; TTYPath = "/dev/tty1"; }; }; }`, "x86_64-linux")
	for name, sp := range s.services(t) {
		if sp.TTY != "" {
			t.Errorf("service %s has tty %q; StandardInput is not tty", name, sp.TTY)
		}
	}
	root := repoRoot(t)
	for _, c := range []struct{ config, want string }{
		{`{ services.getty.autologinUser = "nobody-here"; }`, `services.getty.autologinUser: the user "nobody-here" is not defined in users.users.`},
		{`{ services.getty.autologinUser = "root"; boot.serialConsole = null; }`, "services.getty.autologinUser needs boot.serialConsole"},
		{`{ systemd.services.a = { serviceConfig = { ExecStart = "/bin/a"; StandardInput = "tty"; }; }; }`, `systemd.services.a.serviceConfig.StandardInput = "tty" needs serviceConfig.TTYPath`},
	} {
		_, err := evalJSON(t, summaryExpr(root, c.config, "x86_64-linux"), root)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.config, err, c.want)
		}
	}
}
