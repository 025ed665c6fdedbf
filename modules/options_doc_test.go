package modules

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/options.md from the modules")

// docOption is one entry of lib.optionAttrSetToDocList.
type docOption struct {
	Name         string   `json:"name"`
	Description  *string  `json:"description"`
	Declarations []string `json:"declarations"`
	Internal     bool     `json:"internal"`
	Visible      bool     `json:"visible"`
	ReadOnly     bool     `json:"readOnly"`
	Type         string   `json:"type"`
	Default      *struct {
		Text string `json:"text"`
	} `json:"default"`
	Example *struct {
		Text string `json:"text"`
	} `json:"example"`
}

// optionsMarkdown renders the visible, non-internal options of a minimal
// configuration as docs/options.md.
func optionsMarkdown(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	expr := fmt.Sprintf(`
let
  sys = import %[1]s/modules {
    configuration = { };
    system = "x86_64-linux";
    pkgs = import %[1]s/modules/tests/stub-pkgs.nix { system = "x86_64-linux"; };
  };
  lib = import %[1]s/lib;
in lib.optionAttrSetToDocList (removeAttrs sys.options [ "_module" ])`, root)
	js, err := evalJSON(t, expr, root)
	if err != nil {
		t.Fatal(err)
	}
	var opts []docOption
	if err := json.Unmarshal([]byte(js), &opts); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("# Options of a Frazil system\n\n")
	b.WriteString("Generated from `modules/` by `go test ./modules -run OptionsDoc -update`; do not edit.\n")
	b.WriteString("docs/configuration.md explains how to use them; `frazil option NAME` shows one option's\n")
	b.WriteString("value in a configuration. `<name>` stands for an attribute name of your choice.\n")
	for _, o := range opts {
		if o.Internal || !o.Visible {
			continue
		}
		fmt.Fprintf(&b, "\n## `%s`\n\n", o.Name)
		if o.Description != nil {
			b.WriteString(strings.TrimSpace(*o.Description) + "\n\n")
		}
		fmt.Fprintf(&b, "- Type: %s\n", o.Type)
		if o.Default != nil {
			fmt.Fprintf(&b, "- Default: %s\n", inlineCode(o.Default.Text))
		}
		if o.Example != nil {
			fmt.Fprintf(&b, "- Example: %s\n", inlineCode(o.Example.Text))
		}
		if o.ReadOnly {
			b.WriteString("- Read-only\n")
		}
		for _, d := range o.Declarations {
			rel, err := filepath.Rel(root, d)
			if err != nil {
				rel = d
			}
			fmt.Fprintf(&b, "- Declared in `%s`\n", rel)
		}
	}
	return b.String()
}

// inlineCode quotes a value for Markdown: inline when it fits on a line.
func inlineCode(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "\n") {
		return "`` " + s + " ``"
	}
	return "\n\n  ```nix\n  " + strings.ReplaceAll(s, "\n", "\n  ") + "\n  ```\n"
}

// TestOptionsDoc checks that docs/options.md describes the options the
// modules declare.
func TestOptionsDoc(t *testing.T) {
	got := optionsMarkdown(t)
	file := filepath.Join(repoRoot(t), "docs/options.md")
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("docs/options.md is out of date: run go test ./modules -run OptionsDoc -update")
	}
	for _, name := range []string{"boot.kernelPackages", "users.users.<name>.openssh.authorizedKeys.keys", "systemd.services.<name>.serviceConfig.ExecStart", "services.openssh.enable", "nix.settings.substituters", "system.stateVersion"} {
		if !strings.Contains(got, "## `"+name+"`") {
			t.Errorf("docs/options.md does not describe %s", name)
		}
	}
}
