package toplevel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/supervisor"
)

func sampleSpec() *Spec {
	return &Spec{
		Init:          "/nix/store/i-frazil-init/bin/init",
		Kernel:        "/nix/store/k-linux-6.1/bzImage",
		KernelModules: "/nix/store/k-linux-6.1/lib/modules",
		Initrd:        "/nix/store/r-initrd/initrd",
		Etc:           "/nix/store/e-etc/etc",
		Sw:            "/nix/store/s-system-path",
		KernelParams:  []string{"console=ttyS0,115200", "loglevel=4"},
		System:        "x86_64-linux",
		Label:         "0.1.dev",
		Services:      json.RawMessage(`{"services":[{"name":"web","exec":["/nix/store/w/bin/web"],"wantedBy":["multi-user.target"]}]}`),
		Activation:    json.RawMessage(`{"hostName":"web1","users":[],"groups":[]}`),
		Bootloader:    json.RawMessage(`{"timeout":5,"configurationLimit":100}`),
		Extra:         map[string]string{"firmware": "/nix/store/f-firmware/lib/firmware"},
	}
}

func TestBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "frazil-system-web1-0.1.dev")
	s := sampleSpec()
	if err := Build(out, s); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{"init": s.Init, "kernel": s.Kernel, "kernel-modules": s.KernelModules, "initrd": s.Initrd,
		"etc": s.Etc, "sw": s.Sw, "firmware": "/nix/store/f-firmware/lib/firmware"}
	for name, want := range links {
		got, err := os.Readlink(filepath.Join(out, name))
		if err != nil || got != want {
			t.Errorf("%s -> %q (%v), want %q", name, got, err, want)
		}
	}
	files := map[string]string{"kernel-params": "console=ttyS0,115200 loglevel=4", "system": "x86_64-linux", "frazil-version": "0.1.dev"}
	for name, want := range files {
		if got, err := os.ReadFile(filepath.Join(out, name)); err != nil || string(got) != want {
			t.Errorf("%s = %q (%v), want %q", name, got, err, want)
		}
	}
	specs, err := supervisor.Load(filepath.Join(out, "services.json"))
	if err != nil || len(specs) != 1 || specs[0].Name != "web" {
		t.Errorf("services.json: %+v, %v", specs, err)
	}
	data, err := activation.Load(filepath.Join(out, "activation.json"))
	if err != nil || data.HostName != "web1" {
		t.Errorf("activation.json: %+v, %v", data, err)
	}
	b, err := ReadBootspec(out)
	if err != nil {
		t.Fatal(err)
	}
	want := Bootspec{Init: out + "/init", Initrd: s.Initrd, Kernel: s.Kernel, KernelParams: s.KernelParams,
		Label: "0.1.dev", System: "x86_64-linux", Toplevel: out}
	if !reflect.DeepEqual(*b, want) {
		t.Errorf("bootspec = %+v, want %+v", *b, want)
	}
	raw, _ := os.ReadFile(filepath.Join(out, "boot.json"))
	var doc map[string]map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil || doc[BootloaderKey]["timeout"] != 5.0 {
		t.Errorf("boot.json bootloader settings: %v (%v)", doc[BootloaderKey], err)
	}
}

func TestBuildNoParams(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sys")
	s := sampleSpec()
	s.KernelParams, s.Bootloader, s.Extra = nil, nil, nil
	if err := Build(out, s); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "kernel-params")); len(got) != 0 {
		t.Errorf("kernel-params = %q, want empty", got)
	}
	raw, _ := os.ReadFile(filepath.Join(out, "boot.json"))
	if !strings.Contains(string(raw), `"kernelParams": []`) || strings.Contains(string(raw), BootloaderKey) {
		t.Errorf("boot.json = %s", raw)
	}
}

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		edit func(s *Spec)
		want string
	}{
		{func(s *Spec) { s.Kernel = "bzImage" }, "kernel: \"bzImage\" is not an absolute path"},
		{func(s *Spec) { s.System = "riscv64-linux" }, `unsupported system "riscv64-linux"`},
		{func(s *Spec) { s.KernelParams = []string{"init=/bin/sh"} }, "init= is added by the bootloader"},
		{func(s *Spec) { s.KernelParams = []string{"a b"} }, "white space"},
		{func(s *Spec) { s.Label = "" }, "bad version label"},
		{func(s *Spec) { s.Services = json.RawMessage(`{"services":[{"name":"x","exec":[]}]}`) }, `services.json: service 0: service "x": exec is empty`},
		{func(s *Spec) { s.Services = json.RawMessage(`{"services":[],"extra":1}`) }, "services.json: parse"},
		{func(s *Spec) { s.Activation = json.RawMessage(`[]`) }, "activation.json is not a JSON object"},
		{func(s *Spec) { s.Extra = map[string]string{"a/b": "/x"} }, `bad entry name "a/b"`},
	}
	for _, tt := range tests {
		s := sampleSpec()
		tt.edit(s)
		err := Build(filepath.Join(t.TempDir(), "out"), s)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want one containing %q", err, tt.want)
		}
	}
}
