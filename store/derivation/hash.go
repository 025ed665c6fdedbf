package derivation

// This file defines the hashes that name things: hashDerivationModulo,
// the output paths derived from it, and the .drv file's own path.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/frazil/frazil/store/storepath"
)

// Loader returns the derivation stored at a .drv path. HashModulo calls it
// for input derivations it has not hashed yet.
type Loader func(drvPath string) (*Derivation, error)

// HashModulo returns the hash d stands for when another derivation uses it
// as an input (Nix's hashDerivationModulo without masking):
//
//   - for a fixed-output derivation, sha256("fixed:out:<method><algo>:<hex>:<outPath>"),
//     which depends only on the declared content, not on how it is fetched;
//   - otherwise the sha256 of d's ATerm (output paths kept) in which every
//     input derivation path is replaced by the lowercase hex of that
//     input's own HashModulo, the replaced inputs sorted by that hex.
//
// cache memoises the hashes of input derivations by .drv path; pass the
// same map to many calls to hash a large graph once. It is not safe for
// concurrent use.
func HashModulo(d *Derivation, load Loader, cache map[string][]byte) ([]byte, error) {
	if d.IsFixedOutput() {
		return fixedInputHash(d)
	}
	return d.hashModulo(false, load, cache)
}

// fixedInputHash is the input hash of a fixed-output derivation. Nix
// computes one per output, but fixed-output derivations have exactly one.
func fixedInputHash(d *Derivation) ([]byte, error) {
	if len(d.Outputs) != 1 {
		return nil, fmt.Errorf("fixed-output derivation '%s' has %d outputs, want 1", d.Name, len(d.Outputs))
	}
	var name string
	var o Output
	for name, o = range d.Outputs {
	}
	fh, _, err := o.Fixed()
	if err != nil {
		return nil, fmt.Errorf("derivation '%s': %w", d.Name, err)
	}
	path := o.Path
	if path == "" {
		p, err := storepath.MakeFixedOutput(fh.Method, fh.Hash, OutputPathName(d.Name, name), nil, false)
		if err != nil {
			return nil, fmt.Errorf("derivation '%s': %w", d.Name, err)
		}
		path = string(p)
	}
	sum := sha256.Sum256([]byte("fixed:out:" + fh.MethodAlgo() + ":" + fh.Hash.Hex() + ":" + path))
	return sum[:], nil
}

// hashModulo hashes d's ATerm with inputs replaced by their hashes, and
// with its own outputs blanked if mask is set.
func (d *Derivation) hashModulo(mask bool, load Loader, cache map[string][]byte) ([]byte, error) {
	inputs := make(map[string][]string, len(d.InputDrvs))
	for path, outs := range d.InputDrvs {
		h, err := inputHash(path, load, cache)
		if err != nil {
			return nil, err
		}
		key := hex.EncodeToString(h)
		inputs[key] = append(inputs[key], outs...)
	}
	sum := sha256.Sum256(d.print(mask, inputs))
	return sum[:], nil
}

// inputHash returns the memoised HashModulo of the derivation at path.
func inputHash(path string, load Loader, cache map[string][]byte) ([]byte, error) {
	if h, ok := cache[path]; ok {
		return h, nil
	}
	if load == nil {
		return nil, fmt.Errorf("hash input derivation '%s': no loader", path)
	}
	in, err := load(path)
	if err != nil {
		return nil, fmt.Errorf("hash input derivation '%s': %w", path, err)
	}
	h, err := HashModulo(in, load, cache)
	if err != nil {
		return nil, fmt.Errorf("hash input derivation '%s': %w", path, err)
	}
	if cache != nil {
		cache[path] = h
	}
	return h, nil
}

// ComputeOutputs returns the store path of each output of d, ignoring any
// paths d records: for fixed outputs from the declared hash, for
// input-addressed ones from the masked hash modulo. Env entries for missing
// output names count as present and empty, as in a fresh derivation.
// Floating content-addressed and impure outputs are not supported.
func (d *Derivation) ComputeOutputs(load Loader, cache map[string][]byte) (map[string]storepath.Path, error) {
	if d.Name == "" {
		return nil, fmt.Errorf("derivation has no name")
	}
	if err := d.checkKinds(); err != nil {
		return nil, err
	}
	paths := make(map[string]storepath.Path, len(d.Outputs))
	if d.IsFixedOutput() {
		for name, o := range d.Outputs {
			fh, _, err := o.Fixed()
			if err == nil {
				paths[name], err = storepath.MakeFixedOutput(fh.Method, fh.Hash, OutputPathName(d.Name, name), nil, false)
			}
			if err != nil {
				return nil, fmt.Errorf("derivation '%s': %w", d.Name, err)
			}
		}
		return paths, nil
	}
	h, err := d.withOutputVars().hashModulo(true, load, cache)
	if err != nil {
		return nil, fmt.Errorf("derivation '%s': %w", d.Name, err)
	}
	for name := range d.Outputs {
		if paths[name], err = storepath.MakeOutput(name, h, d.Name); err != nil {
			return nil, fmt.Errorf("derivation '%s': output '%s': %w", d.Name, name, err)
		}
	}
	return paths, nil
}

// checkKinds rejects output kinds whose paths cannot be computed here.
func (d *Derivation) checkKinds() error {
	if len(d.Outputs) == 0 {
		return fmt.Errorf("derivation '%s' has no outputs", d.Name)
	}
	fixed := 0
	for name, o := range d.Outputs {
		switch {
		case o.HashAlgo == "" && o.Hash == "":
		case o.Hash == "" || o.Hash == "impure":
			return fmt.Errorf("derivation '%s': output '%s': content-addressed (floating or impure) outputs are not supported", d.Name, name)
		default:
			fixed++
		}
	}
	if fixed > 0 && (fixed != 1 || len(d.Outputs) != 1) {
		return fmt.Errorf("derivation '%s': a fixed-output derivation must have exactly one output", d.Name)
	}
	return nil
}

// withOutputVars returns d, or a copy with an empty env entry added for
// each output that lacks one.
func (d *Derivation) withOutputVars() *Derivation {
	for name := range d.Outputs {
		if _, ok := d.Env[name]; !ok {
			c := d.Clone()
			for n := range c.Outputs {
				if _, ok := c.Env[n]; !ok {
					c.Env[n] = ""
				}
			}
			return c
		}
	}
	return d
}

// FillOutputs computes d's output paths (see ComputeOutputs) and records
// each one in its output and in the env variable named after it, as the
// evaluator's derivation builtin does.
func (d *Derivation) FillOutputs(load Loader, cache map[string][]byte) error {
	paths, err := d.ComputeOutputs(load, cache)
	if err != nil {
		return err
	}
	for name, p := range paths {
		o := d.Outputs[name]
		o.Path = string(p)
		d.Outputs[name] = o
		d.Env[name] = string(p)
	}
	return nil
}

// CheckOutputs verifies that the output paths d records (in its outputs
// and env) are the ones its contents give.
func (d *Derivation) CheckOutputs(load Loader, cache map[string][]byte) error {
	paths, err := d.ComputeOutputs(load, cache)
	if err != nil {
		return err
	}
	for name, p := range paths {
		if got := d.Outputs[name].Path; got != string(p) {
			return fmt.Errorf("derivation '%s' has incorrect output '%s', should be '%s'", d.Name, got, p)
		}
		if got := d.Env[name]; got != string(p) {
			return fmt.Errorf("derivation '%s' has incorrect environment variable '%s' = '%s', should be '%s'", d.Name, name, got, p)
		}
	}
	return nil
}

// References returns what a .drv file refers to: its input sources and
// input derivations, sorted. Its outputs are not references.
func (d *Derivation) References() []storepath.Path {
	all := make([]string, 0, len(d.InputSrcs)+len(d.InputDrvs))
	all = append(all, d.InputSrcs...)
	for p := range d.InputDrvs {
		all = append(all, p)
	}
	all = sortedUnique(all)
	refs := make([]storepath.Path, len(all))
	for i, s := range all {
		refs[i] = storepath.Path(s)
	}
	return refs
}

// DrvPath returns the store path of d's .drv file: a text path named
// Name+".drv" whose references are d.References.
func (d *Derivation) DrvPath() (storepath.Path, error) {
	if d.Name == "" {
		return "", fmt.Errorf("derivation has no name")
	}
	sum := sha256.Sum256(d.ATerm())
	p, err := storepath.MakeText(d.Name+".drv", sum[:], d.References())
	if err != nil {
		return "", fmt.Errorf("derivation '%s': %w", d.Name, err)
	}
	return p, nil
}

// ReadFile parses the .drv file at file (the on-disk location of the store
// path drvPath) and names the derivation after drvPath.
func ReadFile(file string, drvPath storepath.Path) (*Derivation, error) {
	if _, err := storepath.Parse(string(drvPath)); err != nil {
		return nil, fmt.Errorf("read derivation: %w", err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read derivation %s: %w", drvPath, err)
	}
	d, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", drvPath, err)
	}
	name, ok := strings.CutSuffix(drvPath.Name(), ".drv")
	if !ok {
		return nil, fmt.Errorf("derivation path %s does not end in .drv", drvPath)
	}
	d.Name = name
	return d, nil
}
