package pid1

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/control"
	"github.com/frazil/frazil/init/supervisor"
	"golang.org/x/sys/unix"
)

// switchTo activates the generation at top while the system runs (the
// control API's switch, used by `frazil rebuild switch|test`): it checks
// that top is a toplevel with valid services.json and activation.json,
// runs activation for it (/etc, users, /bin/sh, /run/current-system; not
// /run/booted-system), sets the host name, mounts fileSystems it adds, and
// updates the supervisor: unchanged services keep running, changed ones
// restart, removed ones stop, new ones start. The kernel and its modules
// stay those of the booted generation until the next boot.
func (s *system) switchTo(top string) (supervisor.Changes, error) {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	data, specs, err := loadGeneration(top)
	if err != nil {
		return supervisor.Changes{}, err
	}
	sup := s.sup.Load()
	if sup == nil {
		return supervisor.Changes{}, errors.New("switch: the services have not started yet")
	}
	s.logf("switching to %s", top)
	var errs []error
	if err := activation.Activate(activation.Options{
		Root: "/", Toplevel: top, Data: data, Debug: s.debug,
		Logf: func(f string, a ...any) { s.logf(f, a...) },
	}); err != nil {
		errs = append(errs, err)
	}
	s.toplevel, s.data = top, data
	if err := s.setHostname(); err != nil {
		errs = append(errs, fmt.Errorf("hostname: %w", err))
	}
	if err := s.mountFileSystems(); err != nil {
		errs = append(errs, err)
	}
	ch, err := sup.Update(specs)
	if err != nil {
		errs = append(errs, err)
	}
	s.logf("switched to %s: %s", top, describeChanges(ch))
	return ch, errors.Join(errs...)
}

// loadGeneration reads and checks a toplevel's activation.json and
// services.json; a path that is not a toplevel wraps
// control.ErrBadToplevel.
func loadGeneration(top string) (*activation.Data, []supervisor.Spec, error) {
	clean := filepath.Clean(top)
	if !strings.HasPrefix(clean, "/nix/store/") || strings.Count(clean, "/") != 3 {
		return nil, nil, fmt.Errorf("switch %s: %w (want a store path)", top, control.ErrBadToplevel)
	}
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join(clean, "init"), &st); err != nil {
		return nil, nil, fmt.Errorf("switch %s: %w (no init: %v)", top, control.ErrBadToplevel, err)
	}
	data, err := activation.Load(filepath.Join(clean, "activation.json"))
	if err != nil {
		return nil, nil, fmt.Errorf("switch: %w: %w", control.ErrBadToplevel, err)
	}
	var specs []supervisor.Spec
	if _, err := os.Stat(filepath.Join(clean, "services.json")); err == nil {
		if specs, err = supervisor.Load(filepath.Join(clean, "services.json")); err != nil {
			return nil, nil, fmt.Errorf("switch: %w: %w", control.ErrBadToplevel, err)
		}
	}
	return data, specs, nil
}

// describeChanges is a one-line summary of a supervisor update.
func describeChanges(ch supervisor.Changes) string {
	var parts []string
	for _, p := range []struct {
		what  string
		names []string
	}{{"started", ch.Started}, {"restarted", ch.Restarted}, {"stopped", ch.Stopped}} {
		if len(p.names) > 0 {
			parts = append(parts, p.what+" "+strings.Join(p.names, ", "))
		}
	}
	if len(parts) == 0 {
		return "no service changed"
	}
	return strings.Join(parts, "; ")
}
