package build

// This file defines the result links: symlinks to the outputs, registered
// as indirect garbage-collector roots, named as nix-build names them.

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/frazil/frazil/store"
)

// linkName returns the link of output name of the i-th derivation (from
// 0): result, result-dev, result-2, result-2-dev, ...
func linkName(base string, i int, output string) string {
	name := base
	if i > 0 {
		name += "-" + strconv.Itoa(i+1)
	}
	if output != "out" {
		name += "-" + output
	}
	return name
}

// makeLinks points the result links at the outputs and registers them as
// roots. Each link is replaced atomically.
func makeLinks(s *store.Store, base string, outs []Output) ([]string, error) {
	abs, err := filepath.Abs(base)
	if err != nil {
		return nil, err
	}
	var links []string
	for i, o := range outs {
		for _, name := range outputNames(o.Outputs) {
			link := linkName(abs, i, name)
			if err := s.AddPermRoot(o.Outputs[name], link); err != nil {
				return links, fmt.Errorf("result link %s: %w", link, err)
			}
			links = append(links, link)
		}
	}
	return links, nil
}
