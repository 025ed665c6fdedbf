package supervisor

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Service types.
const (
	TypeSimple      = "simple"
	TypeOneshot     = "oneshot"
	TypeNotifyReady = "notify-ready"
)

// Restart policies.
const (
	RestartAlways    = "always"
	RestartOnFailure = "on-failure"
	RestartNo        = "no"
)

// DefaultTarget is the target whose wanted services PID 1 starts.
const DefaultTarget = "multi-user.target"

// Spec is one service of services.json.
type Spec struct {
	Name             string            `json:"name"`
	Description      string            `json:"description,omitempty"`
	Exec             []string          `json:"exec"`
	PreStart         [][]string        `json:"preStart,omitempty"`
	Environment      map[string]string `json:"environment,omitempty"`
	Path             []string          `json:"path,omitempty"`
	User             string            `json:"user,omitempty"`
	Group            string            `json:"group,omitempty"`
	WorkingDirectory string            `json:"workingDirectory,omitempty"`
	// TTY, when set, is the terminal (e.g. /dev/ttyS0) that becomes the
	// process's stdin, stdout, stderr and controlling terminal, in a session
	// of its own: a console shell or getty. Its output is not captured.
	TTY        string   `json:"tty,omitempty"`
	Type       string   `json:"type,omitempty"`
	Restart    string   `json:"restart,omitempty"`
	RestartSec float64  `json:"restartSec,omitempty"`
	WantedBy   []string `json:"wantedBy,omitempty"`
	After      []string `json:"after,omitempty"`
	Requires   []string `json:"requires,omitempty"`
	Wants      []string `json:"wants,omitempty"`
}

// File is the whole of services.json.
type File struct {
	Services []Spec `json:"services"`
}

// Load reads and validates a services.json file.
func Load(path string) ([]Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("services %s: %w", path, err)
	}
	specs, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("services %s: %w", path, err)
	}
	return specs, nil
}

// Parse decodes services.json, fills in defaults (type simple, restart
// on-failure, restartSec 1, user root, working directory /) and validates
// every service.
func Parse(data []byte) ([]Spec, error) {
	var f File
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	seen := map[string]bool{}
	for i := range f.Services {
		s := &f.Services[i]
		s.setDefaults()
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("service %d: %w", i, err)
		}
		if seen[s.Name] {
			return nil, fmt.Errorf("service %q declared twice", s.Name)
		}
		seen[s.Name] = true
	}
	return f.Services, nil
}

func (s *Spec) setDefaults() {
	if s.Type == "" {
		s.Type = TypeSimple
	}
	if s.Restart == "" {
		s.Restart = RestartOnFailure
		if s.Type == TypeOneshot {
			s.Restart = RestartNo
		}
	}
	if s.RestartSec == 0 {
		s.RestartSec = 1
	}
	if s.User == "" {
		s.User = "root"
	}
	if s.WorkingDirectory == "" {
		s.WorkingDirectory = "/"
	}
}

// Validate checks one service's fields.
func (s *Spec) Validate() error {
	if s.Name == "" || strings.ContainsAny(s.Name, "/ \t\n") || s.Name == "." || s.Name == ".." {
		return fmt.Errorf("invalid service name %q", s.Name)
	}
	if len(s.Exec) == 0 || s.Exec[0] == "" {
		return fmt.Errorf("service %q: exec is empty", s.Name)
	}
	for i, p := range s.PreStart {
		if len(p) == 0 || p[0] == "" {
			return fmt.Errorf("service %q: preStart %d is empty", s.Name, i)
		}
	}
	switch s.Type {
	case TypeSimple, TypeOneshot, TypeNotifyReady:
	default:
		return fmt.Errorf("service %q: unknown type %q (want simple, oneshot or notify-ready)", s.Name, s.Type)
	}
	switch s.Restart {
	case RestartAlways, RestartOnFailure, RestartNo:
	default:
		return fmt.Errorf("service %q: unknown restart policy %q (want always, on-failure or no)", s.Name, s.Restart)
	}
	if s.TTY != "" && (!strings.HasPrefix(s.TTY, "/dev/") || strings.Contains(s.TTY, "..")) {
		return fmt.Errorf("service %q: tty %q is not a device under /dev", s.Name, s.TTY)
	}
	if s.TTY != "" && s.Type == TypeNotifyReady {
		return fmt.Errorf("service %q: a service with a tty cannot be notify-ready", s.Name)
	}
	if s.RestartSec < 0 {
		return fmt.Errorf("service %q: negative restartSec %v", s.Name, s.RestartSec)
	}
	return nil
}

// Env returns the child's environment: PATH from the path entries' bin and
// sbin directories (then /run/current-system/sw/bin), HOME, USER, LOGNAME and
// the declared variables, which win. The result is sorted by key.
func (s *Spec) Env(home string) []string {
	m := map[string]string{
		"PATH":    s.searchPath(),
		"HOME":    home,
		"USER":    s.User,
		"LOGNAME": s.User,
	}
	for k, v := range s.Environment {
		m[k] = v
	}
	return sortedEnv(m)
}

func (s *Spec) searchPath() string {
	var dirs []string
	for _, p := range s.Path {
		dirs = append(dirs, p+"/bin", p+"/sbin")
	}
	dirs = append(dirs, "/run/current-system/sw/bin", "/run/current-system/sw/sbin")
	return strings.Join(dirs, ":")
}

func sortedEnv(m map[string]string) []string {
	env := make([]string, 0, len(m))
	for k, v := range m {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}
