package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// frazilRootForTest is the repository root (the tests run in cmd/frazil).
func frazilRootForTest(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// writeConfig writes files into a temporary directory and returns it.
func writeConfig(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func dryBuildOpts(t *testing.T, file string) *rebuildOpts {
	o := &rebuildOpts{storeDir: t.TempDir(), out: filepath.Join(t.TempDir(), "result")}
	o.file = file
	o.search = listFlag{"frazil=" + frazilRootForTest(t)}
	return o
}

// TestRebuildErrors checks that each kind of broken configuration gives one
// error naming the option and the file and line of the definition.
func TestRebuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // regular expressions; FILE stands for the directory
	}{
		{"type error", map[string]string{"configuration.nix": "{ ... }:\n{\n  networking.hostName = 42;\n}\n"},
			[]string{"A definition for option `networking.hostName' is not of type `string matching", "In `FILE/configuration.nix:3': 42"}},
		{"undefined option", map[string]string{"configuration.nix": "{ ... }:\n{\n  networking.hostname = \"web\";\n}\n"},
			[]string{"The option `networking.hostname' does not exist", "In `FILE/configuration.nix:3': \"web\""}},
		{"conflicting definitions", map[string]string{
			"configuration.nix": "{ ... }:\n{\n  imports = [ ./other.nix ];\n  networking.hostName = \"one\";\n}\n",
			"other.nix":         "{\n  networking.hostName = \"two\";\n}\n"},
			[]string{"The option `networking.hostName' has conflicting definition values", "In `FILE/other.nix:2': \"two\"", "In `FILE/configuration.nix:4': \"one\""}},
		{"failed assertion", map[string]string{"configuration.nix": "{ ... }:\n{\n  users.users.bob.home = \"/home/bob\";\n}\n"},
			[]string{"Failed assertions:", "- users.users.bob: exactly one of isNormalUser and isSystemUser must be set \\(defined in `FILE/configuration.nix:3'\\)"}},
		{"assertion in the configuration", map[string]string{"configuration.nix": "{ config, ... }:\n{\n  assertions = [\n    { assertion = config.networking.hostName != \"frazil\"; message = \"set networking.hostName\"; }\n  ];\n}\n"},
			[]string{"Failed assertions:\n       - set networking.hostName \\(defined in `FILE/configuration.nix:3'\\)"}},
		{"service assertion", map[string]string{"configuration.nix": "{\n  systemd.services.web.serviceConfig.Type = \"forking\";\n  systemd.services.web.script = \"x\";\n}\n"},
			[]string{"Failed assertions:", "systemd.services.web.serviceConfig.Type = \"forking\" is not supported \\(defined in `FILE/configuration.nix:2'\\)"}},
		{"syntax error", map[string]string{"configuration.nix": "{ ... }:\n{\n  networking.hostName = \"x\"\n  boot.loader.timeout = 3;\n}\n"},
			[]string{"syntax error, unexpected '=', expecting ';'", "at FILE/configuration.nix:4:23:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeConfig(t, tt.files)
			var stdout, stderr bytes.Buffer
			err := dryBuildOpts(t, filepath.Join(dir, "configuration.nix")).run("dry-build", &stdout, &stderr)
			var code exitError
			if !errors.As(err, &code) || code != 1 {
				t.Fatalf("error %v, want exit status 1\nstderr:\n%s", err, stderr.String())
			}
			msg := stderr.String()
			if n := strings.Count(msg, "error:"); n != 1 {
				t.Errorf("%d errors reported, want one:\n%s", n, msg)
			}
			for _, w := range tt.want {
				re := regexp.MustCompile(strings.ReplaceAll(w, "FILE", regexp.QuoteMeta(dir)))
				if !re.MatchString(msg) {
					t.Errorf("stderr does not match %q:\n%s", re, msg)
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

func TestRebuildDryBuild(t *testing.T) {
	file := filepath.Join(frazilRootForTest(t), "examples/minimal/configuration.nix")
	o := dryBuildOpts(t, file)
	o.system = "i686-linux"
	var stdout, stderr bytes.Buffer
	if err := o.run("dry-build", &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	drv := strings.TrimSpace(stdout.String())
	if !regexp.MustCompile(`^/nix/store/[0-9a-z]{32}-frazil-system-minimal-[^/]+\.drv$`).MatchString(drv) {
		t.Fatalf("stdout = %q, want the toplevel's derivation", drv)
	}
	if _, err := os.Stat(filepath.Join(o.storeDir, drv)); err != nil {
		t.Errorf("the derivation is not in the store: %v", err)
	}
	if !strings.Contains(stderr.String(), "derivations will be built:") || !strings.Contains(stderr.String(), drv) {
		t.Errorf("stderr does not list the derivations to build:\n%s", stderr.String())
	}
	// The system in the toplevel's derivation is the requested one.
	data, err := os.ReadFile(filepath.Join(o.storeDir, drv))
	if err != nil || !strings.Contains(string(data), `i686-linux`) {
		t.Errorf("the toplevel's derivation does not name i686-linux (%v)", err)
	}
}

func TestRebuildMissingConfiguration(t *testing.T) {
	o := dryBuildOpts(t, filepath.Join(t.TempDir(), "none.nix"))
	var stdout, stderr bytes.Buffer
	if err := o.run("dry-build", &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "configuration:") {
		t.Errorf("error %v, want one about the configuration", err)
	}
}

func TestSplitOptionName(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"networking.hostName", []string{"networking", "hostName"}, false},
		{`environment.etc."nix/nix.conf".text`, []string{"environment", "etc", "nix/nix.conf", "text"}, false},
		{`a."b.c"`, []string{"a", "b.c"}, false},
		{`a..b`, nil, true},
		{`a.`, nil, true},
		{`a."b`, nil, true},
	}
	for _, tt := range tests {
		got, err := splitOptionName(tt.in)
		if (err != nil) != tt.err || strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitOptionName(%q) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestOption(t *testing.T) {
	root := frazilRootForTest(t)
	o := sysOpts{file: filepath.Join(root, "examples/web-appliance/configuration.nix"), search: listFlag{"frazil=" + root}}
	var stderr bytes.Buffer
	tests := []struct {
		name                string
		value, typ, def     string
		declared, definedRe string
	}{
		{"networking.hostName", `"web"`, "string matching the pattern", `"frazil"`, "/modules/tasks/network.nix:", "/examples/web-appliance/configuration.nix:[0-9]+$"},
		{"systemd.services.hello-web.serviceConfig.RestartSec", `"2s"`, "null or", "null", "/modules/system/services.nix:", "/examples/web-appliance/configuration.nix:[0-9]+$"},
		{"boot.loader.grub.configurationLimit", "100", "positive integer", "100", "/modules/system/boot/loader.nix:", "/modules/system/boot/loader.nix:[0-9]+$"},
	}
	for _, tt := range tests {
		path, _ := splitOptionName(tt.name)
		info, err := o.optionInfo(path, &stderr)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.name, err, stderr.String())
		}
		if info.Kind != "option" || info.Value == nil || *info.Value != tt.value || !strings.Contains(info.Type, tt.typ) ||
			info.Default == nil || *info.Default != tt.def {
			t.Errorf("%s: %+v", tt.name, info)
			continue
		}
		if len(info.Declarations) != 1 || !strings.Contains(info.Declarations[0], tt.declared) {
			t.Errorf("%s declared in %q, want %s…", tt.name, info.Declarations, tt.declared)
		}
		// An option nobody sets is defined by its default, in the declaring file.
		if len(info.Definitions) != 1 || !regexp.MustCompile(tt.definedRe).MatchString(info.Definitions[0]) {
			t.Errorf("%s defined in %q, want %s", tt.name, info.Definitions, tt.definedRe)
		}
	}
	for name, kind := range map[string]string{"networking": "set", "networking.nope": "missing", "users.users.nobody.uid": "option"} {
		path, _ := splitOptionName(name)
		info, err := o.optionInfo(path, &stderr)
		if err != nil || info.Kind != kind {
			t.Errorf("%s: kind %v (%v), want %s", name, info, err, kind)
		}
	}
	var out bytes.Buffer
	path, _ := splitOptionName("users.users.web.home")
	info, _ := o.optionInfo(path, &stderr)
	printOption(&out, info)
	for _, want := range []string{"Value:\n\"/var/lib/web\"\n", "Type: path", "Declared by:\n  " + root + "/modules/config/users-groups.nix:", "Defined by:\n  " + root + "/examples/web-appliance/configuration.nix:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("frazil option output lacks %q:\n%s", want, out.String())
		}
	}
}
