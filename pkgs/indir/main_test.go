package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
	out := filepath.Join(dir, "pwd")
	// The command sees DIR as its working directory.
	if err := run([]string{dir, "/bin/sh", "-c", "pwd > " + out}); err != nil {
		t.Fatalf("run: %v", err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(got)) != dir {
		t.Errorf("working directory = %q, want %q", got, dir)
	}
}

func TestRunErrors(t *testing.T) {
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", []string{"/"}, "usage"},
		{"missing directory", []string{"/nonexistent-dir", "true"}, "nonexistent-dir"},
		{"failing command", []string{"/", "/bin/sh", "-c", "exit 3"}, "exit status 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}
