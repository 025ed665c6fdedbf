// Package toplevel assembles a Frazil system's toplevel, the store path
// `config.system.build.toplevel` that a generation links to and a boot
// entry names (docs/architecture.md, "The system toplevel"):
//
//	init            -> the PID 1 binary
//	kernel          -> the kernel image
//	kernel-modules  -> the kernel package's lib/modules
//	initrd          -> the initrd
//	etc             -> the etc tree's etc/
//	sw              -> the system path (sw/bin/sh is the shell)
//	kernel-params   the kernel parameters, space-separated, without init=
//	system          x86_64-linux, aarch64-linux or i686-linux
//	frazil-version  the version label
//	services.json   the service specification (validated here)
//	activation.json the activation data
//	boot.json       the bootspec: {"org.nixos.bootspec.v1": {…}} plus
//	                Frazil's bootloader settings
//
// [Build] runs as the builder of the toplevel derivation: it gets the
// spec from the derivation's structured attributes and writes out.
package toplevel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/frazil/frazil/init/supervisor"
)

// Spec is what the toplevel derivation passes (its structured attributes).
type Spec struct {
	Init          string   `json:"init"`          // the PID 1 binary
	Kernel        string   `json:"kernel"`        // the kernel image file
	KernelModules string   `json:"kernelModules"` // the kernel package's lib/modules
	Initrd        string   `json:"initrd"`        // the initrd file
	Etc           string   `json:"etc"`           // the etc tree's etc directory
	Sw            string   `json:"sw"`            // the system path
	KernelParams  []string `json:"kernelParams"`
	System        string   `json:"hostPlatform"` // x86_64-linux, …; "system" is the derivation's own
	Label         string   `json:"label"`
	// Services and Activation are the contents of services.json and
	// activation.json.
	Services   json.RawMessage `json:"services"`
	Activation json.RawMessage `json:"activation"`
	// Bootloader holds the bootloader's settings, written to boot.json as
	// "org.frazil.bootloader.v1".
	Bootloader json.RawMessage `json:"bootloader"`
	// Extra names more links: entry name -> target (e.g. "firmware").
	Extra map[string]string `json:"extraLinks"`
}

// BootspecKey is the bootspec's document key in boot.json.
const BootspecKey = "org.nixos.bootspec.v1"

// BootloaderKey is the key of Frazil's bootloader settings in boot.json.
const BootloaderKey = "org.frazil.bootloader.v1"

// Bootspec is the org.nixos.bootspec.v1 document.
type Bootspec struct {
	Init         string   `json:"init"`
	Initrd       string   `json:"initrd"`
	Kernel       string   `json:"kernel"`
	KernelParams []string `json:"kernelParams"`
	Label        string   `json:"label"`
	System       string   `json:"system"`
	Toplevel     string   `json:"toplevel"`
}

var systems = map[string]bool{"x86_64-linux": true, "aarch64-linux": true, "i686-linux": true}

// Check validates the spec: every link target is an absolute path, the
// system is one Frazil supports, no kernel parameter sets init= and the
// service specification is valid.
func (s *Spec) Check() error {
	for _, l := range s.links() {
		if !strings.HasPrefix(l[1], "/") {
			return fmt.Errorf("toplevel: %s: %q is not an absolute path", l[0], l[1])
		}
	}
	if !systems[s.System] {
		return fmt.Errorf("toplevel: unsupported system %q (want x86_64-linux, aarch64-linux or i686-linux)", s.System)
	}
	if s.Label == "" || strings.ContainsAny(s.Label, "\n") {
		return fmt.Errorf("toplevel: bad version label %q", s.Label)
	}
	for _, p := range s.KernelParams {
		if p == "" || strings.ContainsAny(p, " \t\n") {
			return fmt.Errorf("toplevel: kernel parameter %q is empty or contains white space", p)
		}
		if strings.HasPrefix(p, "init=") {
			return fmt.Errorf("toplevel: kernel parameter %q: init= is added by the bootloader", p)
		}
	}
	if _, err := supervisor.Parse(s.Services); err != nil {
		return fmt.Errorf("toplevel: services.json: %w", err)
	}
	if !json.Valid(s.Activation) || !bytes.HasPrefix(bytes.TrimSpace(s.Activation), []byte("{")) {
		return fmt.Errorf("toplevel: activation.json is not a JSON object")
	}
	if len(s.Bootloader) > 0 && !json.Valid(s.Bootloader) {
		return fmt.Errorf("toplevel: bootloader settings are not valid JSON")
	}
	return nil
}

// links returns the symlinks of the toplevel, fixed ones first.
func (s *Spec) links() [][2]string {
	l := [][2]string{{"init", s.Init}, {"kernel", s.Kernel}, {"kernel-modules", s.KernelModules},
		{"initrd", s.Initrd}, {"etc", s.Etc}, {"sw", s.Sw}}
	for name, target := range s.Extra {
		l = append(l, [2]string{name, target})
	}
	return l
}

// Build writes the toplevel at out, which must not exist.
func Build(out string, s *Spec) error {
	if err := s.Check(); err != nil {
		return err
	}
	boot, err := s.bootJSON(out)
	if err != nil {
		return err
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		return fmt.Errorf("toplevel: %w", err)
	}
	for _, l := range s.links() {
		if strings.Contains(l[0], "/") || l[0] == "" || l[0] == "." || l[0] == ".." {
			return fmt.Errorf("toplevel: bad entry name %q", l[0])
		}
		if err := os.Symlink(l[1], filepath.Join(out, l[0])); err != nil {
			return fmt.Errorf("toplevel: %w", err)
		}
	}
	files := []struct {
		name string
		data []byte
	}{
		{"kernel-params", []byte(strings.Join(s.KernelParams, " "))},
		{"system", []byte(s.System)},
		{"frazil-version", []byte(s.Label)},
		{"services.json", indent(s.Services)},
		{"activation.json", indent(s.Activation)},
		{"boot.json", boot},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(out, f.name), f.data, 0o444); err != nil {
			return fmt.Errorf("toplevel: %w", err)
		}
	}
	return nil
}

// bootJSON is boot.json for a toplevel at out.
func (s *Spec) bootJSON(out string) ([]byte, error) {
	doc := map[string]any{BootspecKey: Bootspec{
		Init: out + "/init", Initrd: s.Initrd, Kernel: s.Kernel,
		KernelParams: append([]string{}, s.KernelParams...), Label: s.Label, System: s.System, Toplevel: out,
	}}
	if len(s.Bootloader) > 0 {
		doc[BootloaderKey] = s.Bootloader
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("toplevel: boot.json: %w", err)
	}
	return append(b, '\n'), nil
}

// indent pretty-prints valid JSON with a final newline.
func indent(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return raw
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// ReadBootspec reads a toplevel's boot.json.
func ReadBootspec(toplevel string) (*Bootspec, error) {
	data, err := os.ReadFile(filepath.Join(toplevel, "boot.json"))
	if err != nil {
		return nil, fmt.Errorf("bootspec: %w", err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("bootspec %s: %w", toplevel, err)
	}
	raw, ok := doc[BootspecKey]
	if !ok {
		return nil, fmt.Errorf("bootspec %s: no %s document", toplevel, BootspecKey)
	}
	var b Bootspec
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("bootspec %s: %w", toplevel, err)
	}
	return &b, nil
}
