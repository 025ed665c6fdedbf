package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/crypto/ssh"
)

// sessionPath is the PATH of login sessions.
const sessionPath = "/run/current-system/sw/bin:/run/current-system/sw/sbin:/bin:/usr/bin"

// session serves one session channel: env and pty-req requests, then one
// shell or exec request, whose exit status is reported before the channel
// closes.
func (s *Server) session(u *user, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var env []string
	var tty *pty
	defer func() {
		if tty != nil {
			tty.Close()
		}
	}()
	started := false
	for req := range reqs {
		ok := false
		switch req.Type {
		case "env":
			var kv struct{ Name, Value string }
			if ssh.Unmarshal(req.Payload, &kv) == nil && acceptedEnv(kv.Name) {
				env = append(env, kv.Name+"="+kv.Value)
				ok = true
			}
		case "pty-req":
			var p struct {
				Term                 string
				Cols, Rows, PxW, PxH uint32
				Modes                string
			}
			if !started && tty == nil && ssh.Unmarshal(req.Payload, &p) == nil {
				var err error
				if tty, err = openPTY(); err == nil {
					tty.Resize(p.Cols, p.Rows)
					env = append(env, "TERM="+p.Term)
					ok = true
				} else {
					s.logf("frazil-sshd: pty: %v", err)
				}
			}
		case "window-change":
			var w struct{ Cols, Rows, PxW, PxH uint32 }
			if tty != nil && ssh.Unmarshal(req.Payload, &w) == nil {
				tty.Resize(w.Cols, w.Rows)
				ok = true
			}
		case "shell", "exec":
			var cmd struct{ Command string }
			if req.Type == "exec" && ssh.Unmarshal(req.Payload, &cmd) != nil {
				break
			}
			if !started {
				started, ok = true, true
				go func(command string, isExec bool, t *pty) {
					code := s.run(u, ch, t, env, command, isExec)
					ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{code}))
					ch.Close()
				}(cmd.Command, req.Type == "exec", tty)
			}
		}
		if req.WantReply {
			req.Reply(ok, nil)
		}
	}
}

// acceptedEnv lists the client's variables a session takes (sshd's
// AcceptEnv LANG LC_*).
func acceptedEnv(name string) bool {
	return name == "LANG" || strings.HasPrefix(name, "LC_")
}

// run runs the user's shell (with -c command for exec) on the channel or
// the pty and returns its exit status.
func (s *Server) run(u *user, ch ssh.Channel, t *pty, env []string, command string, isExec bool) uint32 {
	shell := u.shell
	if shell == "" {
		shell = "/bin/sh"
	}
	cmd := exec.Command(shell)
	if isExec {
		cmd.Args = []string{filepath.Base(shell), "-c", command}
	} else {
		cmd.Args = []string{"-" + filepath.Base(shell)}
	}
	cmd.Env = append([]string{"HOME=" + u.home, "USER=" + u.name, "LOGNAME=" + u.name, "SHELL=" + shell, "PATH=" + sessionPath}, env...)
	cmd.Dir = u.home
	if st, err := os.Stat(u.home); err != nil || !st.IsDir() {
		cmd.Dir = "/"
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if os.Getuid() == 0 && u.uid != 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: u.uid, Gid: u.gid, Groups: []uint32{}}
	}
	if t != nil {
		return s.runPTY(cmd, ch, t)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return s.failed(ch, err)
	}
	cmd.Stdout, cmd.Stderr = ch, ch.Stderr()
	if err := cmd.Start(); err != nil {
		return s.failed(ch, err)
	}
	go func() {
		io.Copy(stdin, ch)
		stdin.Close()
	}()
	return exitStatus(cmd.Wait())
}

// runPTY runs cmd with the pty's terminal as its controlling terminal.
func (s *Server) runPTY(cmd *exec.Cmd, ch ssh.Channel, t *pty) uint32 {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = t.tty, t.tty, t.tty
	cmd.SysProcAttr.Setctty = true
	cmd.SysProcAttr.Ctty = 0
	if err := cmd.Start(); err != nil {
		return s.failed(ch, err)
	}
	t.tty.Close()
	go io.Copy(t.master, ch)
	done := make(chan struct{})
	go func() {
		io.Copy(ch, t.master) // ends with EIO once the terminal is closed
		close(done)
	}()
	code := exitStatus(cmd.Wait())
	<-done
	return code
}

func (s *Server) failed(ch ssh.Channel, err error) uint32 {
	io.WriteString(ch.Stderr(), "frazil-sshd: "+err.Error()+"\r\n")
	return 127
}

// exitStatus is a finished command's exit status (128+signal when killed).
func exitStatus(err error) uint32 {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + uint32(ws.Signal())
		}
		return uint32(ee.ExitCode())
	}
	return 1
}
