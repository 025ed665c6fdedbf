package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// testServer runs a server for the users root and alice (uid 1000) and
// returns its address and host key.
type testServer struct {
	addr      string
	hostKey   ssh.PublicKey
	keysDir   string
	aliceHome string
	srv       *Server
}

func newSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func startServer(t *testing.T, permitRoot bool) *testServer {
	t.Helper()
	dir := t.TempDir()
	// alice's home must be reachable by uid 1000: not below t.TempDir's 0700 directory.
	aliceHome, err := os.MkdirTemp("", "frazil-sshd-alice-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(aliceHome) })
	os.Chmod(aliceHome, 0o755)
	passwd := filepath.Join(dir, "passwd")
	os.WriteFile(passwd, []byte(fmt.Sprintf("root:x:0:0:System administrator:%s:/bin/sh\nalice:x:1000:100::%s:/bin/sh\nbroken:x:zero:0::/:/bin/sh\n", dir, aliceHome)), 0o644)
	keysDir := filepath.Join(dir, "authorized_keys.d")
	os.MkdirAll(keysDir, 0o755)
	srv := &Server{PermitRootLogin: permitRoot, AuthorizedKeysDir: keysDir, Passwd: passwd, Logf: t.Logf}
	keyFile := filepath.Join(dir, "ssh", "ssh_host_ed25519_key")
	if err := srv.AddHostKeyFile(keyFile); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("host key file: %v, %v; want mode 0600", st, err)
	}
	data, _ := os.ReadFile(keyFile)
	hostSigner, err := ssh.ParsePrivateKey(data)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go srv.Serve(ln)
	return &testServer{addr: ln.Addr().String(), hostKey: hostSigner.PublicKey(), keysDir: keysDir, aliceHome: aliceHome, srv: srv}
}

func (ts *testServer) authorize(t *testing.T, file string, keys ...ssh.Signer) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("# a comment\n\n")
	for _, k := range keys {
		b.Write(ssh.MarshalAuthorizedKey(k.PublicKey()))
	}
	os.MkdirAll(filepath.Dir(file), 0o755)
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (ts *testServer) dial(user string, key ssh.Signer) (*ssh.Client, error) {
	return ssh.Dial("tcp", ts.addr, &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(key)},
		HostKeyCallback: ssh.FixedHostKey(ts.hostKey),
	})
}

func TestExec(t *testing.T) {
	ts := startServer(t, true)
	key := newSigner(t)
	ts.authorize(t, filepath.Join(ts.keysDir, "root"), newSigner(t), key)
	c, err := ts.dial("root", key)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	sess, _ := c.NewSession()
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	err = sess.Run("echo hello; echo oops >&2; echo $USER $HOME; exit 3")
	var ee *ssh.ExitError
	if !errors.As(err, &ee) || ee.ExitStatus() != 3 {
		t.Errorf("Run = %v, want exit status 3", err)
	}
	if want := "hello\nroot " + filepath.Dir(ts.keysDir) + "\n"; stdout.String() != want || stderr.String() != "oops\n" {
		t.Errorf("stdout %q stderr %q, want %q and %q", stdout.String(), stderr.String(), want, "oops\n")
	}

	sess, _ = c.NewSession()
	sess.Stdin = strings.NewReader("from stdin\n")
	out, err := sess.Output("cat")
	if err != nil || string(out) != "from stdin\n" {
		t.Errorf("cat = %q, %v", out, err)
	}
}

func TestPTY(t *testing.T) {
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skipf("no /dev/ptmx here: %v", err)
	}
	ts := startServer(t, true)
	key := newSigner(t)
	ts.authorize(t, filepath.Join(ts.keysDir, "root"), key)
	c, err := ts.dial("root", key)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, _ := c.NewSession()
	if err := sess.RequestPty("xterm", 40, 100, ssh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out, err := sess.Output("tty; echo $TERM; stty size")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(string(out)), "\r", ""), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "/dev/pts/") || lines[1] != "xterm" || lines[2] != "40 100" {
		t.Errorf("output %q, want the pty's name, xterm and 40 100", lines)
	}
}

func TestUserKeysAndCredentials(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("running as another user needs root")
	}
	ts := startServer(t, true)
	key := newSigner(t)
	ts.authorize(t, filepath.Join(ts.aliceHome, ".ssh", "authorized_keys"), key)
	c, err := ts.dial("alice", key)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, _ := c.NewSession()
	out, err := sess.Output("id -u; id -g; pwd")
	if err != nil || string(out) != "1000\n100\n"+ts.aliceHome+"\n" {
		t.Errorf("alice's session printed %q (%v), want uid 1000, gid 100 and her home", out, err)
	}
}

func TestAuthRefused(t *testing.T) {
	ts := startServer(t, false)
	key, other := newSigner(t), newSigner(t)
	ts.authorize(t, filepath.Join(ts.keysDir, "root"), key)
	ts.authorize(t, filepath.Join(ts.keysDir, "alice"), key)
	ts.authorize(t, filepath.Join(ts.keysDir, "broken"), key)
	for _, tt := range []struct {
		user string
		key  ssh.Signer
		why  string
	}{
		{"root", key, "root with -permit-root-login no"},
		{"alice", other, "a key that is not authorized"},
		{"mallory", key, "a user that does not exist"},
		{"broken", key, "a user whose passwd entry is broken"},
	} {
		if c, err := ts.dial(tt.user, tt.key); err == nil {
			c.Close()
			t.Errorf("%s: login succeeded", tt.why)
		} else if !strings.Contains(err.Error(), "unable to authenticate") {
			t.Errorf("%s: %v", tt.why, err)
		}
	}
	// The host key is checked by the client: a server with another key is refused.
	wrong := *ts
	wrong.hostKey = newSigner(t).PublicKey()
	if c, err := wrong.dial("alice", key); err == nil {
		c.Close()
		t.Error("a wrong host key was accepted")
	}
}

func TestHostKeyReused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "key")
	var a, b Server
	if err := a.AddHostKeyFile(file); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(file)
	if err := b.AddHostKeyFile(file); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(file)
	if !bytes.Equal(before, after) {
		t.Error("an existing host key was replaced")
	}
	os.WriteFile(file, []byte("not a key"), 0o600)
	if err := b.AddHostKeyFile(file); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("bad key file: %v", err)
	}
}

func FuzzLookupUser(f *testing.F) {
	f.Add("root:x:0:0::/root:/bin/sh\n", "root")
	f.Add("a:b:c\n::::::\n", "")
	f.Fuzz(func(t *testing.T, passwd, name string) {
		file := filepath.Join(t.TempDir(), "passwd")
		os.WriteFile(file, []byte(passwd), 0o644)
		u, err := lookupUser(file, name)
		if err == nil && u.name != name {
			t.Errorf("lookupUser(%q) found %q", name, u.name)
		}
	})
}
