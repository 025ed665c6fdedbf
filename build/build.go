package build

// This file defines Run: evaluate, then realise (or, with DryRun, only
// plan), then link the results.

import (
	"context"
	"sort"

	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// Options configure Run.
type Options struct {
	Builder builder.Options // jobs, keep-going, check, substituters, progress
	// OutLink is the base name of the result links ("result"); "" makes
	// none.
	OutLink string
	// DryRun stops after planning: Run returns the plan and builds
	// nothing.
	DryRun bool
}

// Output is one built derivation.
type Output struct {
	DrvPath storepath.Path            `json:"drvPath"`
	Outputs map[string]storepath.Path `json:"outputs"`
}

// Result is what Run did.
type Result struct {
	Outputs []Output      // per derivation, in the order evaluated
	Links   []string      // result links made
	Plan    *builder.Plan // with DryRun: what would be done
	Drvs    []storepath.Path
}

// Run evaluates e, realises its derivations in s and makes the result
// links. On build failure the error is a *builder.Error listing every
// failure.
func Run(ctx context.Context, s *store.Store, e *Expr, o *Options) (*Result, error) {
	drvs, err := Instantiate(s, e)
	if err != nil {
		return nil, err
	}
	res := &Result{Drvs: drvs}
	b := builder.New(s, o.Builder)
	if o.DryRun {
		res.Plan, err = b.Plan(ctx, drvs)
		return res, err
	}
	built, err := b.Realise(ctx, drvs)
	if err != nil {
		return res, err
	}
	seen := map[storepath.Path]bool{}
	for _, d := range drvs {
		if seen[d] {
			continue
		}
		seen[d] = true
		res.Outputs = append(res.Outputs, Output{DrvPath: d, Outputs: built[d]})
	}
	if o.OutLink != "" {
		res.Links, err = makeLinks(s, o.OutLink, res.Outputs)
	}
	return res, err
}

// outputNames returns the names of m, "out" first, then sorted.
func outputNames(m map[string]storepath.Path) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "out") != (names[j] == "out") {
			return names[i] == "out"
		}
		return names[i] < names[j]
	})
	return names
}
