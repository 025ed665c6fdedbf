package generations

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// A DeleteSpec selects generations to delete, as `nix-env
// --delete-generations` does: a list of numbers, "old", "+N" or "Nd".
type DeleteSpec struct {
	Numbers  []int         // explicit generation numbers
	Old      bool          // every generation but the current one
	Keep     int           // "+N": keep the current and the N-1 before it, and newer ones
	ByAge    bool          // "Nd": delete generations older than OlderDur…
	OlderDur time.Duration // …keeping the one that was current then
}

// ParseDeleteSpec parses the arguments of `generations delete`.
func ParseDeleteSpec(args []string) (DeleteSpec, error) {
	if len(args) == 0 {
		return DeleteSpec{}, fmt.Errorf("no generations to delete given")
	}
	if len(args) == 1 {
		a := args[0]
		switch {
		case a == "old":
			return DeleteSpec{Old: true}, nil
		case strings.HasPrefix(a, "+"):
			n, err := strconv.Atoi(a[1:])
			if err != nil || n <= 0 {
				return DeleteSpec{}, fmt.Errorf("invalid number of generations to keep '%s'", a)
			}
			return DeleteSpec{Keep: n}, nil
		case strings.HasSuffix(a, "d"):
			n, err := strconv.Atoi(a[:len(a)-1])
			if err != nil || n <= 0 || a[0] == '+' {
				return DeleteSpec{}, fmt.Errorf("invalid number of days specifier '%s'", a)
			}
			return DeleteSpec{ByAge: true, OlderDur: time.Duration(n) * 24 * time.Hour}, nil
		}
	}
	var s DeleteSpec
	for _, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 || a[0] == '+' || a[0] == '-' {
			return DeleteSpec{}, fmt.Errorf("invalid generation number '%s'", a)
		}
		s.Numbers = append(s.Numbers, n)
	}
	return s, nil
}

// Delete removes the generation links the spec selects and returns their
// numbers in ascending order. The current generation is never deleted:
// naming it explicitly is an error and nothing is deleted. Store paths are
// only freed by a later garbage collection.
func (p *Profile) Delete(spec DeleteSpec, now time.Time) ([]int, error) {
	unlock, err := p.Lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	gens, err := p.List()
	if err != nil {
		return nil, err
	}
	cur, err := p.currentNumber()
	if err != nil {
		return nil, err
	}
	victims, err := selectVictims(gens, cur, spec, now)
	if err != nil {
		return nil, fmt.Errorf("%w '%s'", err, p.Path)
	}
	var deleted []int
	for _, g := range gens {
		if !victims[g.Number] {
			continue
		}
		if err := os.Remove(g.Link); err != nil {
			return deleted, fmt.Errorf("delete generation %d of %s: %w", g.Number, p.Path, err)
		}
		deleted = append(deleted, g.Number)
	}
	if len(deleted) > 0 {
		return deleted, syncDir(p.dir())
	}
	return deleted, nil
}

// selectVictims applies Nix's rules; gens is ascending.
func selectVictims(gens []Generation, cur int, spec DeleteSpec, now time.Time) (map[int]bool, error) {
	v := map[int]bool{}
	switch {
	case spec.Old:
		for _, g := range gens {
			v[g.Number] = g.Number != cur
		}
	case spec.Keep > 0:
		// from the newest down: skip to current, keep Keep of them, delete the rest
		i := len(gens) - 1
		for i >= 0 && gens[i].Number != cur {
			i--
		}
		i -= spec.Keep
		for ; i >= 0; i-- {
			v[gens[i].Number] = true
		}
	case spec.ByAge:
		cutoff := now.Add(-spec.OlderDur)
		i := len(gens) - 1
		for i >= 0 && !gens[i].Time.Before(cutoff) {
			i--
		}
		// gens[i] was current at the cutoff: keep it
		for i--; i >= 0; i-- {
			v[gens[i].Number] = gens[i].Number != cur
		}
	default:
		for _, n := range spec.Numbers {
			if n == cur {
				return nil, fmt.Errorf("cannot delete current version of profile")
			}
			v[n] = true
		}
	}
	return v, nil
}
