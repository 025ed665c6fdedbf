package builder

// This file defines the graph of a Realise call: loading the closure of
// the requested derivations and planning what to do with each node.

import (
	"context"
	"fmt"
	"strings"

	"github.com/frazil/frazil/store/derivation"
	"github.com/frazil/frazil/store/storepath"
)

// action is what a node needs.
type action int

const (
	actNone       action = iota // its wanted outputs are valid (or nobody wants it)
	actSubstitute               // fetch its missing outputs from a substituter
	actBuild                    // build it
	actCheck                    // rebuild it and compare (--check)
)

// node is a derivation of the graph.
type node struct {
	path    storepath.Path
	drv     *derivation.Derivation
	outputs map[string]storepath.Path // output name -> path
	wanted  map[string]bool           // outputs some dependent (or the caller) needs
	inputs  map[storepath.Path]*node  // the input derivations

	action      action
	substitute  []storepath.Path // the missing paths, for actSubstitute
	substituter Substituter

	deps       []*node // nodes with work that must finish first
	dependents []*node
	pending    int // deps not finished yet

	state nodeState
	err   error
}

type nodeState int

const (
	statePending nodeState = iota
	stateRunning
	stateDone
	stateFailed
	stateSkipped   // an input failed
	stateCancelled // stopped before it finished
)

// name is the derivation's name, for messages.
func (n *node) name() string { return n.drv.Name }

// graph holds every node of a Realise call.
type graph struct {
	nodes   map[storepath.Path]*node
	order   []*node // inputs before the derivations that use them
	targets []*node
	work    []*node // nodes with an action, in order
}

// loadGraph reads the requested derivations and, transitively, their input
// derivations, and checks that each records the output paths its contents
// give.
func (b *Builder) loadGraph(drvs []storepath.Path) (*graph, error) {
	g := &graph{nodes: map[storepath.Path]*node{}}
	hashes := map[string][]byte{}
	load := func(p string) (*derivation.Derivation, error) {
		n, err := b.loadNode(g, storepath.Path(p), hashes)
		if err != nil {
			return nil, err
		}
		return n.drv, nil
	}
	for _, p := range drvs {
		if _, err := storepath.Parse(string(p)); err != nil {
			return nil, err
		}
		if !strings.HasSuffix(string(p), ".drv") {
			return nil, fmt.Errorf("%s is not a derivation", p)
		}
		if _, err := load(string(p)); err != nil {
			return nil, err
		}
		g.targets = append(g.targets, g.nodes[p])
	}
	return g, nil
}

// loadNode loads the derivation at p and its inputs (depth first, so that
// g.order lists inputs first).
func (b *Builder) loadNode(g *graph, p storepath.Path, hashes map[string][]byte) (*node, error) {
	if n, ok := g.nodes[p]; ok {
		if n.drv == nil { // still loading
			return nil, fmt.Errorf("derivation %s depends on itself", p)
		}
		return n, nil
	}
	n := &node{path: p, wanted: map[string]bool{}}
	g.nodes[p] = n // marks p as being loaded
	valid, err := b.store.IsValid(p)
	if err != nil {
		return nil, err
	}
	if !valid {
		return nil, fmt.Errorf("derivation %s is not valid in the store", p)
	}
	d, err := derivation.ReadFile(b.store.RealPath(p), p)
	if err != nil {
		return nil, err
	}
	n.inputs = map[storepath.Path]*node{}
	for _, in := range sortedKeys(d.InputDrvs) {
		inNode, err := b.loadNode(g, storepath.Path(in), hashes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		n.inputs[storepath.Path(in)] = inNode
	}
	load := func(in string) (*derivation.Derivation, error) { return g.nodes[storepath.Path(in)].drv, nil }
	if err := d.CheckOutputs(load, hashes); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	n.drv = d
	n.outputs = map[string]storepath.Path{}
	for name, o := range d.Outputs {
		n.outputs[name] = storepath.Path(o.Path)
	}
	g.order = append(g.order, n)
	return n, nil
}

// plan decides each node's action, visiting derivations before their
// inputs so that an input is only wanted if a derivation that will be
// built needs it.
func (b *Builder) plan(ctx context.Context, g *graph) error {
	for _, n := range g.targets {
		for name := range n.outputs {
			n.wanted[name] = true
		}
	}
	targets := map[*node]bool{}
	for _, n := range g.targets {
		targets[n] = true
	}
	for i := len(g.order) - 1; i >= 0; i-- {
		n := g.order[i]
		if len(n.wanted) == 0 {
			continue
		}
		if err := b.planNode(ctx, g, n, targets[n] && b.opts.Check); err != nil {
			return err
		}
	}
	for _, n := range g.order {
		if n.action == actNone {
			continue
		}
		g.work = append(g.work, n)
		deps := n.deps[:0]
		for _, d := range n.deps {
			if d.action != actNone {
				deps = append(deps, d)
				d.dependents = append(d.dependents, n)
			}
		}
		n.deps, n.pending = deps, len(deps)
	}
	return nil
}

func (b *Builder) planNode(ctx context.Context, g *graph, n *node, check bool) error {
	var missing []storepath.Path
	for _, name := range sortedKeys(n.wanted) {
		p := n.outputs[name]
		valid, err := b.store.IsValid(p)
		if err != nil {
			return err
		}
		if !valid {
			missing = append(missing, p)
		}
	}
	switch {
	case check && len(missing) > 0:
		return fmt.Errorf("some outputs of '%s' are not valid, so checking is not possible", n.path)
	case check:
		n.action = actCheck
	case len(missing) == 0:
		return nil
	default:
		if s := b.findSubstituter(ctx, missing); s != nil {
			n.action, n.substitute, n.substituter = actSubstitute, missing, s
			return nil
		}
		n.action = actBuild
	}
	return b.planInputs(g, n)
}

// planInputs marks the outputs n uses of its input derivations as wanted.
func (b *Builder) planInputs(g *graph, n *node) error {
	for p, outs := range n.drv.InputDrvs {
		in := g.nodes[storepath.Path(p)]
		for _, o := range outs {
			if _, ok := in.outputs[o]; !ok {
				return fmt.Errorf("derivation '%s' has no output '%s' (needed by '%s')", p, o, n.path)
			}
			in.wanted[o] = true
		}
		n.deps = append(n.deps, in) // pruned below if it needs nothing
	}
	// Input sources need no work: a valid .drv's references are valid.
	return nil
}
