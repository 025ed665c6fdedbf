// Package derivation reads, writes and hashes Nix derivations (.drv files).
//
// A derivation is a build recipe: the outputs it produces, the derivations
// and sources it needs, and the builder, arguments and environment that
// produce the outputs. On disk it is an ATerm, a small text format:
//
//	Derive([outputs],[inputDrvs],[inputSrcs],"platform","builder",[args],[env])
//
// Parse and ATerm convert between the two forms; Parse accepts only what
// ATerm prints, so a parsed file prints back to the very same bytes.
//
// Output paths come from hashing. An input-addressed output's path is made
// from the derivation's "hash modulo": the sha256 of its ATerm with its own
// output paths blanked and every input derivation replaced by that input's
// hash modulo (HashModulo). Fixed-output derivations (fetchers) contribute a
// hash of their declared content hash instead, so changing how a source is
// fetched does not change its dependents. FillOutputs computes and records
// the output paths; DrvPath gives the .drv file's own store path.
package derivation

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// Output is one output of a derivation as it appears in the ATerm.
//
// Input-addressed outputs have only a Path. Fixed-output ones also carry
// HashAlgo ("sha256" flat, "r:sha256" recursive/NAR, "text:sha256") and the
// expected content Hash in lowercase base 16. Floating content-addressed
// outputs have a HashAlgo but no Path or Hash; deferred ones have nothing.
type Output struct{ Path, HashAlgo, Hash string }

// Derivation is a parsed .drv file.
type Derivation struct {
	// Name is the derivation's name (the .drv file is Name+".drv"). It is
	// not part of the ATerm: Parse takes it from the env, FillOutputs and
	// DrvPath need it.
	Name      string
	Outputs   map[string]Output
	InputDrvs map[string][]string // drv path -> names of the outputs used
	InputSrcs []string
	Platform  string
	Builder   string
	Args      []string
	Env       map[string]string
}

// OutputNames returns the names of d's outputs, sorted.
func (d *Derivation) OutputNames() []string {
	names := make([]string, 0, len(d.Outputs))
	for n := range d.Outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsFixedOutput reports whether every output of d has a declared content
// hash (a fetcher). Such derivations may use the network while building.
func (d *Derivation) IsFixedOutput() bool {
	if len(d.Outputs) == 0 {
		return false
	}
	for _, o := range d.Outputs {
		if o.HashAlgo == "" || o.Hash == "" || o.Hash == "impure" {
			return false
		}
	}
	return true
}

// StructuredAttrs returns the JSON of a derivation built with
// __structuredAttrs = true (the "__json" env entry), and whether it has one.
func (d *Derivation) StructuredAttrs() (string, bool) {
	s, ok := d.Env["__json"]
	return s, ok
}

// nameFromEnv finds the derivation's name in its env or, for structured
// attributes, in the "__json" object.
func nameFromEnv(env map[string]string) string {
	if n, ok := env["name"]; ok {
		return n
	}
	if js, ok := env["__json"]; ok {
		var attrs struct {
			Name string `json:"name"`
		}
		if json.Unmarshal([]byte(js), &attrs) == nil {
			return attrs.Name
		}
	}
	return ""
}

// FixedHash is the content hash a fixed output declares.
type FixedHash struct {
	Method storepath.Method
	Hash   nixhash.Hash
}

// MethodAlgo returns the hashAlgo field for h: "r:sha256", "sha1", "text:sha256".
func (h FixedHash) MethodAlgo() string {
	if h.Method == storepath.Text {
		return "text:" + h.Hash.Algo.String()
	}
	return h.Method.Prefix() + h.Hash.Algo.String()
}

// Fixed returns the declared content hash of a fixed output, or ok false
// for an output without one (input-addressed, floating, deferred, impure).
func (o Output) Fixed() (h FixedHash, ok bool, err error) {
	if o.HashAlgo == "" || o.Hash == "" || o.Hash == "impure" {
		return FixedHash{}, false, nil
	}
	algo := o.HashAlgo
	m := storepath.Flat
	switch {
	case strings.HasPrefix(algo, "r:"):
		m, algo = storepath.Recursive, algo[2:]
	case strings.HasPrefix(algo, "text:"):
		m, algo = storepath.Text, algo[5:]
	}
	a, err := nixhash.ParseAlgo(algo)
	if err != nil {
		return FixedHash{}, false, fmt.Errorf("output hash algorithm '%s': %w", o.HashAlgo, err)
	}
	hash, err := nixhash.Parse(o.Hash, a)
	if err != nil {
		return FixedHash{}, false, fmt.Errorf("output hash: %w", err)
	}
	if m == storepath.Text && a != nixhash.SHA256 {
		return FixedHash{}, false, fmt.Errorf("output hash algorithm '%s': text hashing requires sha256", o.HashAlgo)
	}
	return FixedHash{m, hash}, true, nil
}

// OutputPathName returns the name part of output out's store path: the
// derivation name, with "-<out>" appended for outputs other than "out".
func OutputPathName(drvName, out string) string {
	if out == "out" {
		return drvName
	}
	return drvName + "-" + out
}

// Clone returns a deep copy of d.
func (d *Derivation) Clone() *Derivation {
	c := *d
	c.Outputs = make(map[string]Output, len(d.Outputs))
	for k, v := range d.Outputs {
		c.Outputs[k] = v
	}
	c.InputDrvs = make(map[string][]string, len(d.InputDrvs))
	for k, v := range d.InputDrvs {
		c.InputDrvs[k] = append([]string(nil), v...)
	}
	c.InputSrcs = append([]string(nil), d.InputSrcs...)
	c.Args = append([]string(nil), d.Args...)
	c.Env = make(map[string]string, len(d.Env))
	for k, v := range d.Env {
		c.Env[k] = v
	}
	return &c
}
