package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/store/signature"
)

const keyUsage = `usage:
  frazil key generate --name NAME [--secret-key-file F] [--public-key-file F]
  frazil key public [--secret-key-file F]     (reads the secret key from stdin without F)`

func runKey(args []string) error {
	return keyMain(args, os.Stdin, os.Stdout, os.Stderr)
}

func keyMain(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, keyUsage)
		return errUsage
	}
	switch args[0] {
	case "generate":
		return keyGenerate(args[1:], stdout, stderr)
	case "public":
		return keyPublic(args[1:], stdin, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, keyUsage)
		return nil
	}
	fmt.Fprintf(stderr, "frazil key: unknown subcommand %q\n%s\n", args[0], keyUsage)
	return errUsage
}

// keyGenerate is `nix key generate-secret --key-name NAME`: the secret key
// goes to stdout unless --secret-key-file is given; the public key is
// written when --public-key-file is given.
func keyGenerate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("key generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "key name, conventionally HOST-N (e.g. cache.example.org-1)")
	secretFile := fs.String("secret-key-file", "", "write the secret key to this file (mode 0600) instead of stdout")
	publicFile := fs.String("public-key-file", "", "also write the public key to this file")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *name == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "frazil key generate: --name is required and no arguments are taken")
		return errUsage
	}
	sk, err := signature.Generate(*name, nil)
	if err != nil {
		return err
	}
	if *secretFile == "" {
		fmt.Fprint(stdout, sk.String())
		if *publicFile == "" {
			return nil
		}
	} else if err := writeKeyFile(*secretFile, sk.String(), 0o600); err != nil {
		return err
	}
	if *publicFile != "" {
		return writeKeyFile(*publicFile, sk.Public().String(), 0o644)
	}
	return nil
}

// keyPublic is `nix key convert-secret-to-public`.
func keyPublic(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("key public", flag.ContinueOnError)
	fs.SetOutput(stderr)
	secretFile := fs.String("secret-key-file", "", "read the secret key from this file instead of stdin")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	var data []byte
	var err error
	if *secretFile != "" {
		data, err = os.ReadFile(*secretFile)
	} else {
		data, err = io.ReadAll(io.LimitReader(stdin, 4096))
	}
	if err != nil {
		return err
	}
	sk, err := signature.ParseSecretKey(string(data))
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, sk.Public().String())
	return nil
}

// writeKeyFile writes a key without a trailing newline (as Nix does),
// refusing to overwrite an existing file, durably (temp, fsync, rename).
func writeKeyFile(name, key string, mode os.FileMode) error {
	if _, err := os.Lstat(name); err == nil {
		return fmt.Errorf("%s already exists; not overwriting a key", name)
	}
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, ".tmp-key-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := io.Copy(f, bytes.NewReader([]byte(key))); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
