package supervisor

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// identity is who a service runs as.
type identity struct {
	uid, gid uint32
	groups   []uint32
	home     string
}

// lookupIdentity resolves the spec's user and group through /etc/passwd and
// /etc/group (os/user's pure-Go lookup, as PID 1 is built without cgo).
func lookupIdentity(s *Spec) (identity, error) {
	u, err := user.Lookup(s.User)
	if err != nil {
		return identity{}, fmt.Errorf("user %q: %w", s.User, err)
	}
	id := identity{home: u.HomeDir}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return identity{}, fmt.Errorf("user %q: non-numeric uid %q or gid %q", s.User, u.Uid, u.Gid)
	}
	id.uid, id.gid = uint32(uid), uint32(gid)
	if s.Group != "" {
		g, err := user.LookupGroup(s.Group)
		if err != nil {
			return identity{}, fmt.Errorf("group %q: %w", s.Group, err)
		}
		n, err := strconv.ParseUint(g.Gid, 10, 32)
		if err != nil {
			return identity{}, fmt.Errorf("group %q: non-numeric gid %q", s.Group, g.Gid)
		}
		id.gid = uint32(n)
	}
	if gids, err := u.GroupIds(); err == nil {
		for _, g := range gids {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil {
				id.groups = append(id.groups, uint32(n))
			}
		}
	}
	return id, nil
}

// command builds the exec.Cmd for argv run on behalf of s: its own process
// group, the service's identity, environment and working directory, stdin
// from /dev/null and stdout+stderr to out. extra become fds 3….
func command(s *Spec, id identity, argv []string, out *os.File, extra ...*os.File) (*exec.Cmd, error) {
	cmd, err := baseCommand(s, id, argv)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = out, out, extra
	return cmd, nil
}

// ttyCommand builds the exec.Cmd for a service with a terminal: stdin,
// stdout and stderr are tty, which becomes the controlling terminal of a
// new session (taken over from any session that has it).
func ttyCommand(s *Spec, id identity, argv []string, tty *os.File) (*exec.Cmd, error) {
	cmd, err := baseCommand(s, id, argv)
	if err != nil {
		return nil, err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if envValue(cmd.Env, "TERM") == "" {
		cmd.Env = append(cmd.Env, "TERM=vt220")
	}
	cmd.SysProcAttr.Setpgid = false // setsid makes a process group too
	cmd.SysProcAttr.Setsid = true
	cmd.SysProcAttr.Setctty = true
	cmd.SysProcAttr.Ctty = 0
	return cmd, nil
}

func baseCommand(s *Spec, id identity, argv []string) (*exec.Cmd, error) {
	env := s.Env(id.home)
	path, err := resolveExecutable(argv[0], envValue(env, "PATH"))
	if err != nil {
		return nil, err
	}
	cmd := &exec.Cmd{
		Path: path,
		Args: argv,
		Env:  env,
		Dir:  s.WorkingDirectory,
		SysProcAttr: &syscall.SysProcAttr{
			Setpgid: true,
		},
	}
	if id.uid != uint32(os.Geteuid()) || id.gid != uint32(os.Getegid()) {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: id.uid, Gid: id.gid, Groups: id.groups}
	}
	return cmd, nil
}

// resolveExecutable finds name: as given when it contains a slash, else in
// the service's PATH (not PID 1's).
func resolveExecutable(name, pathList string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	for _, dir := range filepath.SplitList(pathList) {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("executable %q not found in service PATH %s", name, pathList)
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}
