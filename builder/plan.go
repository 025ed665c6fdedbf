package builder

// This file defines Plan: what a Realise call would do, without doing it
// (nix-build --dry-run).

import (
	"context"

	"github.com/frazil/frazil/store/storepath"
)

// Plan lists the work a Realise of the same derivations would do.
type Plan struct {
	Build      []storepath.Path // derivations that would be built, inputs first
	Substitute []storepath.Path // paths that would be fetched from a substituter
}

// Plan returns what Realise(ctx, drvs) would build and substitute now.
func (b *Builder) Plan(ctx context.Context, drvs []storepath.Path) (*Plan, error) {
	g, err := b.loadGraph(drvs)
	if err != nil {
		return nil, err
	}
	if err := b.plan(ctx, g); err != nil {
		return nil, err
	}
	p := &Plan{}
	for _, n := range g.work {
		if n.action == actSubstitute {
			p.Substitute = append(p.Substitute, n.substitute...)
		} else {
			p.Build = append(p.Build, n.path)
		}
	}
	return p, nil
}
