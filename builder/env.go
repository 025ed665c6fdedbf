package builder

// This file defines the environment a builder starts with, following
// Nix's conventions (DerivationGoal::initEnv).

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/frazil/frazil/store/nixbase32"
	"github.com/frazil/frazil/store/storepath"
)

// builderEnv returns the builder's environment ("K=V", sorted) and writes
// the files it refers to into the build directory: passAsFile attributes
// and, for structured attributes, .attrs.json.
func (b *Builder) builderEnv(n *node, bd *buildDir) ([]string, error) {
	d := n.drv
	rw := placeholderReplacer(n)
	env := map[string]string{
		"PATH":            "/path-not-set",
		"HOME":            "/homeless-shelter",
		"NIX_STORE":       storepath.Dir,
		"NIX_BUILD_CORES": strconv.Itoa(b.opts.Cores),
	}
	var impure []string
	if js, ok := d.StructuredAttrs(); ok {
		var err error
		if impure, err = writeAttrsJSON(n, bd, rw.Replace(js)); err != nil {
			return nil, err
		}
		env["NIX_ATTRS_JSON_FILE"] = sandboxBuildDir + "/.attrs.json"
	} else {
		if err := passEnv(d.Env, bd, env, rw); err != nil {
			return nil, err
		}
		impure = strings.Fields(d.Env["impureEnvVars"])
	}
	for _, k := range []string{"NIX_BUILD_TOP", "TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD"} {
		env[k] = sandboxBuildDir
	}
	if d.IsFixedOutput() {
		env["NIX_OUTPUT_CHECKED"] = "1"
		// Fixed outputs are checked by hash, so they may see the
		// host's proxies and the like.
		for _, k := range impure {
			env[k] = os.Getenv(k)
		}
	}
	env["NIX_LOG_FD"] = "2"
	env["TERM"] = "xterm-256color"
	list := make([]string, 0, len(env))
	for k, v := range env {
		list = append(list, rw.Replace(k+"="+v))
	}
	sort.Strings(list)
	return list, nil
}

// passEnv copies the derivation's env into env, writing the attributes
// named in passAsFile to files instead (env gets <name>Path), with the
// output placeholders replaced by rw.
func passEnv(drvEnv map[string]string, bd *buildDir, env map[string]string, rw *strings.Replacer) error {
	asFile := map[string]bool{}
	for _, k := range strings.Fields(drvEnv["passAsFile"]) {
		asFile[k] = true
	}
	for k, v := range drvEnv {
		if !asFile[k] {
			env[k] = v
			continue
		}
		sum := sha256.Sum256([]byte(k))
		fn := ".attr-" + nixbase32.EncodeToString(sum[:])
		if err := writeBuildFile(bd, fn, []byte(rw.Replace(v))); err != nil {
			return err
		}
		env[k+"Path"] = sandboxBuildDir + "/" + fn
	}
	return nil
}

// writeAttrsJSON writes the structured attributes, with "outputs" turned
// into a map from output name to path as Nix does, and returns the
// impureEnvVars they list.
func writeAttrsJSON(n *node, bd *buildDir, js string) ([]string, error) {
	var attrs map[string]any
	if err := json.Unmarshal([]byte(js), &attrs); err != nil {
		return nil, fmt.Errorf("derivation '%s': structured attributes: %w", n.path, err)
	}
	outs := map[string]string{}
	for name, p := range n.outputs {
		outs[name] = string(p)
	}
	attrs["outputs"] = outs
	b, err := json.Marshal(attrs)
	if err != nil {
		return nil, err
	}
	var impure []string
	if l, ok := attrs["impureEnvVars"].([]any); ok {
		for _, v := range l {
			if s, ok := v.(string); ok {
				impure = append(impure, s)
			}
		}
	}
	return impure, writeBuildFile(bd, ".attrs.json", b)
}

// writeBuildFile writes a file into the build directory, owned by the
// build user.
func writeBuildFile(bd *buildDir, name string, data []byte) error {
	p := filepath.Join(bd.build, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if os.Geteuid() == 0 {
		return os.Chown(p, BuildUID, BuildGID)
	}
	return nil
}
