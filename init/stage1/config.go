// Package stage1 is Frazil's initrd program: the first process the kernel
// runs. It mounts /dev, /proc, /sys and /run, loads the kernel modules listed
// in /etc/frazil/stage1.json (their load order is computed when the initrd is
// built, not here), waits for the root filesystem named by LABEL=, UUID= or a
// device path, mounts it, bind-mounts its /nix/store read-only (ro, nodev,
// nosuid), moves the early mounts into it, deletes the initrd's contents,
// switches root and executes the generation's init given as init= on the
// kernel command line.
//
// It never hangs silently: on failure it prints the error on the console,
// then either opens a small rescue prompt (frazil.shell on the command line,
// or emergencyShell in stage1.json) or reboots after a delay.
package stage1

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ConfigPath is where the initrd holds the configuration.
const ConfigPath = "/etc/frazil/stage1.json"

// Config is stage1.json (docs/architecture.md), plus what the kernel command
// line adds.
type Config struct {
	KernelVersion     string   `json:"kernelVersion"`
	Modules           []string `json:"modules"` // relative to /lib/modules/<ver>, deps first
	Root              string   `json:"root"`
	FSType            string   `json:"fsType"`
	RootOptions       string   `json:"rootOptions"`
	RootWaitSeconds   int      `json:"rootWaitSeconds"`
	StoreMountOptions []string `json:"storeMountOptions"`
	EmergencyShell    bool     `json:"emergencyShell"`

	// From the command line only.
	Init  string `json:"-"` // init=
	Debug bool   `json:"-"` // frazil.debug
}

// DefaultConfig is what an empty stage1.json means.
func DefaultConfig() Config {
	return Config{
		Root:              "LABEL=frazil-root",
		FSType:            "ext4",
		RootOptions:       "rw",
		RootWaitSeconds:   20,
		StoreMountOptions: []string{"ro", "nodev", "nosuid"},
	}
}

// ParseConfig decodes stage1.json over the defaults.
func ParseConfig(data []byte) (Config, error) {
	c := DefaultConfig()
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, fmt.Errorf("stage1 config: %w", err)
	}
	for _, m := range c.Modules {
		if m == "" || strings.HasPrefix(m, "/") || strings.Contains(m, "..") {
			return Config{}, fmt.Errorf("stage1 config: bad module path %q", m)
		}
	}
	return c, nil
}

// LoadConfig reads path; a missing file gives the defaults.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return DefaultConfig(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("stage1 config: %w", err)
	}
	return ParseConfig(data)
}

// ApplyCmdline lets the kernel command line override the configuration:
// root=, rootfstype=, rootflags=, rootwait=SECONDS, init=, frazil.shell,
// frazil.debug.
func (c *Config) ApplyCmdline(args map[string]string) {
	if v, ok := args["root"]; ok && v != "" {
		c.Root = v
	}
	if v, ok := args["rootfstype"]; ok && v != "" {
		c.FSType = v
	}
	if v, ok := args["rootflags"]; ok && v != "" {
		c.RootOptions = v
	}
	if v, ok := args["rootwait"]; ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			c.RootWaitSeconds = n
		}
	}
	if v, ok := args["init"]; ok {
		c.Init = v
	}
	if _, ok := args["frazil.shell"]; ok {
		c.EmergencyShell = true
	}
	if _, ok := args["frazil.debug"]; ok {
		c.Debug = true
	}
}

// ParseCmdline splits a kernel command line into key=value pairs (a bare
// word maps to ""). Double quotes group spaces, as the kernel does; a later
// duplicate key wins.
func ParseCmdline(s string) map[string]string {
	args := map[string]string{}
	for _, word := range splitCmdline(s) {
		k, v, _ := strings.Cut(word, "=")
		args[k] = v
	}
	return args
}

func splitCmdline(s string) []string {
	var words []string
	var cur strings.Builder
	inQuote, any := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
			any = true
		case (r == ' ' || r == '\t' || r == '\n') && !inQuote:
			if any {
				words = append(words, cur.String())
				cur.Reset()
				any = false
			}
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		words = append(words, cur.String())
	}
	return words
}
