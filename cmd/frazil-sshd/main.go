// Command frazil-sshd is Frazil's SSH server (services.openssh): a small
// server on golang.org/x/crypto/ssh for logging in to a device.
//
// Users log in with public keys only: a user's keys are those in
// /etc/ssh/authorized_keys.d/<user> (written by activation from
// users.users.<name>.openssh.authorizedKeys) and ~/.ssh/authorized_keys.
// Users and their homes and shells come from /etc/passwd. A session runs
// the user's shell, with a pseudo-terminal when the client asks for one,
// or `shell -c COMMAND` for an exec request, as the user, and reports the
// exit status. There are no port forwardings, agents or subsystems.
//
// Host keys are ed25519 keys in OpenSSH format, created at the first start
// when missing (temp file, fsync, rename).
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var listen, hostKeys listFlag
	flag.Var(&listen, "listen", "address to listen on, host:port (repeatable; default :22)")
	flag.Var(&hostKeys, "host-key", "host key file, created if missing (repeatable; default /etc/ssh/ssh_host_ed25519_key)")
	permitRoot := flag.String("permit-root-login", "yes", "whether root may log in (with a key): yes or no")
	keysDir := flag.String("authorized-keys-dir", "/etc/ssh/authorized_keys.d", "directory of per-user authorized keys files")
	passwd := flag.String("passwd", "/etc/passwd", "the user database")
	flag.Parse()
	if len(listen) == 0 {
		listen = listFlag{":22"}
	}
	if len(hostKeys) == 0 {
		hostKeys = listFlag{"/etc/ssh/ssh_host_ed25519_key"}
	}
	if *permitRoot != "yes" && *permitRoot != "no" {
		log.Fatalf("frazil-sshd: -permit-root-login %q: want yes or no", *permitRoot)
	}
	srv := &Server{PermitRootLogin: *permitRoot == "yes", AuthorizedKeysDir: *keysDir, Passwd: *passwd, Logf: log.Printf}
	for _, k := range hostKeys {
		if err := srv.AddHostKeyFile(k); err != nil {
			log.Fatalf("frazil-sshd: %v", err)
		}
	}
	for _, addr := range listen {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			log.Fatalf("frazil-sshd: %v", err)
		}
		log.Printf("frazil-sshd: listening on %s", ln.Addr())
		go func() {
			if err := srv.Serve(ln); err != nil {
				log.Fatalf("frazil-sshd: %v", err)
			}
		}()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	fmt.Fprintf(os.Stderr, "frazil-sshd: %v, exiting\n", <-sig)
}
