package store

import (
	"fmt"
	"time"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// PathInfo is what the store records about a valid path.
type PathInfo struct {
	Path             storepath.Path
	NarHash          nixhash.Hash     // sha256 of the NAR
	NarSize          uint64           // length of the NAR
	References       []storepath.Path // sorted, may include Path itself
	Deriver          storepath.Path   // "" if unknown
	RegistrationTime time.Time
	Signatures       []string // "keyname:base64"
	CA               storepath.ContentAddress
	Ultimate         bool // built locally
}

// check validates the fields a registration needs.
func (i *PathInfo) check() error {
	if _, err := storepath.Parse(string(i.Path)); err != nil {
		return err
	}
	if i.NarHash.Algo != nixhash.SHA256 || len(i.NarHash.Digest) != nixhash.SHA256.Size() {
		return fmt.Errorf("%s: NAR hash must be sha256, got %q", i.Path, i.NarHash.String())
	}
	for _, r := range i.References {
		if _, err := storepath.Parse(string(r)); err != nil {
			return fmt.Errorf("%s: reference: %w", i.Path, err)
		}
	}
	if i.Deriver != "" {
		if _, err := storepath.Parse(string(i.Deriver)); err != nil {
			return fmt.Errorf("%s: deriver: %w", i.Path, err)
		}
	}
	return nil
}

// PathInfoJSON is a path's info in the form `nix path-info --json` prints
// (Nix 2.8): hashes in SRI form, empty optional fields left out.
type PathInfoJSON struct {
	Path             string   `json:"path"`
	NarHash          string   `json:"narHash"`
	NarSize          uint64   `json:"narSize"`
	References       []string `json:"references"`
	CA               string   `json:"ca,omitempty"`
	Deriver          string   `json:"deriver,omitempty"`
	RegistrationTime int64    `json:"registrationTime,omitempty"`
	Ultimate         bool     `json:"ultimate,omitempty"`
	Signatures       []string `json:"signatures,omitempty"`
}

// JSON returns the info in `nix path-info --json` form.
func (i *PathInfo) JSON() PathInfoJSON {
	refs := make([]string, 0, len(i.References))
	for _, r := range i.References {
		refs = append(refs, string(r))
	}
	j := PathInfoJSON{
		Path:       string(i.Path),
		NarHash:    i.NarHash.SRI(),
		NarSize:    i.NarSize,
		References: refs,
		CA:         i.CA.String(),
		Deriver:    string(i.Deriver),
		Ultimate:   i.Ultimate,
		Signatures: i.Signatures,
	}
	if !i.RegistrationTime.IsZero() {
		j.RegistrationTime = i.RegistrationTime.Unix()
	}
	return j
}
