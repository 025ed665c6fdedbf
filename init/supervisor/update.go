package supervisor

import (
	"reflect"
	"sort"
)

// Changes says what Update did, by service name (each list sorted).
type Changes struct {
	Stopped   []string `json:"stopped,omitempty"`   // no longer planned
	Started   []string `json:"started,omitempty"`   // newly planned
	Restarted []string `json:"restarted,omitempty"` // planned with a different spec
	Unchanged []string `json:"unchanged,omitempty"` // left running as they were
}

// Update switches the supervisor to another set of services, as when a
// new generation is activated: services no longer planned are stopped
// (reverse start order), services whose spec changed are stopped and
// started again with the new spec, new services are started, and services
// whose spec is the same keep running untouched (their process, restart
// count and logs). New and changed services wait for the services they
// come after, as at boot. An invalid plan changes nothing.
func (sup *Supervisor) Update(specs []Spec) (Changes, error) {
	for i := range specs {
		specs[i].setDefaults()
	}
	plan, err := Plan(specs, sup.cfg.Target)
	if err != nil {
		return Changes{}, err
	}
	sup.Start() // the current plan runs before it is replaced
	sup.updateMu.Lock()
	defer sup.updateMu.Unlock()
	next := map[string]*Spec{}
	for _, spec := range plan {
		next[spec.Name] = spec
	}
	var ch Changes
	old := sup.list()
	keep := map[string]*service{}
	oldByName := map[string]*service{}
	for _, s := range old {
		oldByName[s.spec.Name] = s
	}
	for i := len(old) - 1; i >= 0; i-- {
		s := old[i]
		spec, planned := next[s.spec.Name]
		switch {
		case planned && reflect.DeepEqual(*spec, *s.spec):
			keep[s.spec.Name] = s
			ch.Unchanged = append(ch.Unchanged, s.spec.Name)
			continue
		case planned:
			ch.Restarted = append(ch.Restarted, s.spec.Name)
		default:
			ch.Stopped = append(ch.Stopped, s.spec.Name)
		}
		s.stop()
	}
	var fresh []*service
	sup.mu.Lock()
	sup.services, sup.byName = nil, map[string]*service{}
	for _, spec := range plan {
		if s := keep[spec.Name]; s != nil {
			sup.services = append(sup.services, s)
			sup.byName[spec.Name] = s
			continue
		}
		s := sup.add(spec, sup.cfg)
		if prev := oldByName[spec.Name]; prev != nil {
			s.logs = prev.logs // a restarted service keeps its recent output
		} else {
			ch.Started = append(ch.Started, spec.Name)
		}
		fresh = append(fresh, s)
	}
	sup.mu.Unlock()
	for _, s := range fresh {
		go s.run()
	}
	for _, l := range [][]string{ch.Stopped, ch.Started, ch.Restarted, ch.Unchanged} {
		sort.Strings(l)
	}
	return ch, nil
}
