package supervisor

import (
	"fmt"
	"sort"
	"strings"
)

// Plan returns the services to start for target: those whose wantedBy names
// it, plus, transitively, every service they require or want. The result is
// in start order: each service comes after the services it names in after or
// requires (when those are planned too). Services are otherwise ordered by
// name, so the plan is deterministic. A requires naming an undeclared service
// is an error; a wants or after naming one is ignored, as in systemd. A cycle
// is an error naming it ("dependency cycle: a -> b -> a").
func Plan(specs []Spec, target string) ([]*Spec, error) {
	byName := make(map[string]*Spec, len(specs))
	for i := range specs {
		byName[specs[i].Name] = &specs[i]
	}
	selected, err := selectWanted(specs, byName, target)
	if err != nil {
		return nil, err
	}
	return topoSort(selected, byName)
}

// selectWanted finds the services wanted by target and their requires/wants
// closure.
func selectWanted(specs []Spec, byName map[string]*Spec, target string) (map[string]bool, error) {
	selected := map[string]bool{}
	var queue []string
	for _, s := range specs {
		for _, w := range s.WantedBy {
			if w == target {
				queue = append(queue, s.Name)
			}
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if selected[name] {
			continue
		}
		selected[name] = true
		s := byName[name]
		for _, r := range s.Requires {
			if byName[r] == nil {
				return nil, fmt.Errorf("service %q requires unknown service %q", name, r)
			}
			queue = append(queue, r)
		}
		for _, w := range s.Wants {
			if byName[w] != nil {
				queue = append(queue, w)
			}
		}
	}
	return selected, nil
}

// orderDeps returns the planned services that s must start after.
func orderDeps(s *Spec, selected map[string]bool) []string {
	var deps []string
	for _, group := range [][]string{s.After, s.Requires} {
		for _, d := range group {
			if selected[d] && d != s.Name {
				deps = append(deps, d)
			}
		}
	}
	sort.Strings(deps)
	return deps
}

// topoSort orders the selected services by depth-first search over their
// ordering dependencies, visiting names in sorted order.
func topoSort(selected map[string]bool, byName map[string]*Spec) ([]*Spec, error) {
	names := make([]string, 0, len(selected))
	for n := range selected {
		names = append(names, n)
	}
	sort.Strings(names)
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var order []*Spec
	var stack []string
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case done:
			return nil
		case visiting:
			i := len(stack) - 1
			for stack[i] != n {
				i--
			}
			cycle := append(append([]string{}, stack[i:]...), n)
			return fmt.Errorf("dependency cycle: %s", strings.Join(cycle, " -> "))
		}
		state[n] = visiting
		stack = append(stack, n)
		for _, d := range orderDeps(byName[n], selected) {
			if err := visit(d); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		order = append(order, byName[n])
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return order, nil
}
