package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Server is an SSH server that accepts public-key logins and runs shell
// sessions.
type Server struct {
	PermitRootLogin   bool
	AuthorizedKeysDir string // <dir>/<user> lists a user's keys
	Passwd            string // the user database (/etc/passwd)
	Logf              func(format string, args ...any)

	config *ssh.ServerConfig
}

// AddHostKeyFile loads an ed25519 host key, creating it when missing.
func (s *Server) AddHostKeyFile(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if data, err = newHostKey(path); err != nil {
			return fmt.Errorf("create host key %s: %w", path, err)
		}
	} else if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	signer, err := ssh.ParsePrivateKey(data)
	if err != nil {
		return fmt.Errorf("host key %s: %w", path, err)
	}
	s.serverConfig().AddHostKey(signer)
	return nil
}

// newHostKey writes a new ed25519 key in OpenSSH format to path.
func newHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return data, writeFileAtomic(path, data, 0o600)
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (s *Server) serverConfig() *ssh.ServerConfig {
	if s.config == nil {
		s.config = &ssh.ServerConfig{PublicKeyCallback: s.checkKey, ServerVersion: "SSH-2.0-frazil-sshd"}
	}
	return s.config
}

func (s *Server) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

// checkKey accepts key for user when the user exists, may log in and lists
// the key.
func (s *Server) checkKey(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
	u, err := lookupUser(s.Passwd, meta.User())
	if err != nil {
		s.logf("frazil-sshd: %s from %s: %v", meta.User(), meta.RemoteAddr(), err)
		return nil, errors.New("access denied")
	}
	if u.uid == 0 && !s.PermitRootLogin {
		s.logf("frazil-sshd: root login from %s refused (-permit-root-login no)", meta.RemoteAddr())
		return nil, errors.New("access denied")
	}
	want := key.Marshal()
	for _, file := range []string{filepath.Join(s.AuthorizedKeysDir, u.name), filepath.Join(u.home, ".ssh", "authorized_keys")} {
		for _, k := range readAuthorizedKeys(file) {
			if bytes.Equal(k.Marshal(), want) {
				s.logf("frazil-sshd: accepted %s key %s for %s from %s", key.Type(), ssh.FingerprintSHA256(key), u.name, meta.RemoteAddr())
				return &ssh.Permissions{Extensions: map[string]string{"user": u.name}}, nil
			}
		}
	}
	return nil, errors.New("access denied")
}

// readAuthorizedKeys parses an authorized_keys file; unreadable files and
// bad lines are skipped.
func readAuthorizedKeys(file string) []ssh.PublicKey {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var keys []ssh.PublicKey
	for len(data) > 0 {
		k, _, _, rest, err := ssh.ParseAuthorizedKey(data)
		if err != nil {
			break
		}
		keys = append(keys, k)
		data = rest
	}
	return keys
}

// Serve accepts connections on ln until it fails.
func (s *Server) Serve(ln net.Listener) error {
	cfg := s.serverConfig()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go s.handleConn(c, cfg)
	}
}

func (s *Server) handleConn(c net.Conn, cfg *ssh.ServerConfig) {
	conn, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		c.Close()
		return
	}
	defer conn.Close()
	go ssh.DiscardRequests(reqs)
	u, err := lookupUser(s.Passwd, conn.Permissions.Extensions["user"])
	if err != nil {
		return
	}
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only session channels are supported")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			continue
		}
		go s.session(u, ch, chReqs)
	}
}

// user is an /etc/passwd entry.
type user struct {
	name     string
	uid, gid uint32
	home     string
	shell    string
}

// lookupUser finds name in a passwd file.
func lookupUser(passwd, name string) (*user, error) {
	f, err := os.Open(passwd)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 7 || fields[0] != name {
			continue
		}
		uid, err1 := strconv.ParseUint(fields[2], 10, 32)
		gid, err2 := strconv.ParseUint(fields[3], 10, 32)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad entry for %s", passwd, name)
		}
		return &user{name: name, uid: uint32(uid), gid: uint32(gid), home: fields[5], shell: fields[6]}, nil
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("no user %q in %s", name, passwd)
}
