package pkgs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileAt reads a file below a built path and its permission bits,
// following symlinks into the store inside the shared store's root.
func fileAt(t *testing.T, root, rel string) (string, os.FileMode) {
	t.Helper()
	p := inStore(sharedStore(t).Root(), filepath.Join(root, rel))
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), fi.Mode().Perm()
}

// inStore resolves the symlinks in p, reading absolute /nix/store targets
// below rootDir, the store's root.
func inStore(rootDir, p string) string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	cur := "/"
	for i := 0; i < len(parts); i++ {
		next := filepath.Join(cur, parts[i])
		target, err := os.Readlink(next)
		if err != nil {
			cur = next
			continue
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(cur, target)
		} else if strings.HasPrefix(target, "/nix/store/") {
			target = rootDir + target
		}
		parts = append(strings.Split(strings.TrimPrefix(target, "/"), "/"), parts[i+1:]...)
		cur, i = "/", -1
	}
	return cur
}

func TestWriteText(t *testing.T) {
	for _, tt := range []struct {
		name, expr, rel, want string
		mode                  os.FileMode
	}{
		{"writeText", `writeText "greeting" "hello ${nonce}\n"`, "", "hello %s\n", 0o444},
		{"writeScript", `writeScript "script" "#!/bin/sh\necho ${nonce}\n"`, "", "#!/bin/sh\necho %s\n", 0o555},
		{"writeScriptBin", `writeScriptBin "tool" "#!x ${nonce}"`, "bin/tool", "#!x %s", 0o555},
		{"destination", `writeTextFile { name = "conf"; text = "k=${nonce}"; destination = "/etc/app/app.conf"; }`, "etc/app/app.conf", "k=%s", 0o444},
		{"executable", `writeTextFile { name = "x"; text = "${nonce} \"quoted\" $HOME"; executable = true; }`, "", "%s \"quoted\" $HOME", 0o555},
	} {
		t.Run(tt.name, func(t *testing.T) {
			expr := "let nonce = \"" + nonce + "\"; in " + tt.expr
			outs := mustBuild(t, withPkgs(t, hostSystem, expr))
			got, mode := fileAt(t, realPath(t, outs[0].Outputs["out"]), tt.rel)
			if want := strings.ReplaceAll(tt.want, "%s", nonce); got != want || mode != tt.mode {
				t.Errorf("%s: %q mode %v, want %q mode %v", tt.name, got, mode, want, tt.mode)
			}
		})
	}
}

// TestRunCommand runs a script using the u-root commands a typical
// runCommand needs, inside the sandbox.
func TestRunCommand(t *testing.T) {
	script := `
      mkdir -p $out/sub $out/bin
      echo "hello $greeting" > $out/sub/a
      cp $out/sub/a $out/b
      mv $out/b $out/c
      ln -s sub/a $out/link
      cat $out/c | tr '[:lower:]' '[:upper:]' > $out/upper
      ls $out/sub > $out/listing
      grep -c hello $out/c > $out/count
      printf 'b\na\nc\n' | sort | head -n 2 > $out/sorted
      wc -l < $out/sorted > $out/lines
      if test -f $out/c && [ -L $out/link ]; then echo yes > $out/tests; fi
      for i in 1 2 3; do echo $i >> $out/loop; done
      x=$(basename $out/sub/a); echo "$x $(dirname /a/b)" > $out/names
      cp $src $out/bin/tool; chmod 0755 $out/bin/tool
      rm $out/c
      touch $out/empty
    `
	expr := `runCommand "rc-` + nonce + `" { greeting = "world"; src = builtins.toFile "tool" "#!x"; } ''` + script + `''`
	outs := mustBuild(t, withPkgs(t, hostSystem, expr))
	out := realPath(t, outs[0].Outputs["out"])
	for rel, want := range map[string]string{
		"sub/a": "hello world\n", "upper": "HELLO WORLD\n", "listing": "a\n", "count": "1\n",
		"sorted": "a\nb\n", "tests": "yes\n", "loop": "1\n2\n3\n", "names": "a /a\n", "bin/tool": "#!x", "empty": "",
	} {
		if got, _ := fileAt(t, out, rel); strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Errorf("%s = %q, want %q", rel, got, want)
		}
	}
	if got, _ := fileAt(t, out, "lines"); strings.TrimSpace(got) != "2" {
		t.Errorf("lines = %q, want 2", got)
	}
	if target, err := os.Readlink(filepath.Join(out, "link")); err != nil || target != "sub/a" {
		t.Errorf("link -> %q, %v; want sub/a", target, err)
	}
	if _, mode := fileAt(t, out, "bin/tool"); mode != 0o555 {
		t.Errorf("bin/tool mode %v, want 0555", mode)
	}
	if _, err := os.Lstat(filepath.Join(out, "c")); !os.IsNotExist(err) {
		t.Errorf("c was not removed: %v", err)
	}
}

// TestRunCommandFailsOnError checks the `set -e` runCommand starts with.
func TestRunCommandFailsOnError(t *testing.T) {
	expr := `runCommand "fails-` + nonce + `" { } "false\nmkdir $out"`
	if _, _, err := buildIn(t, sharedStore(t), withPkgs(t, hostSystem, expr), buildOptions()); err == nil {
		t.Error("a script whose first command fails built")
	}
}

func TestSymlinkJoinAndBuildEnv(t *testing.T) {
	parts := `
      a = writeTextFile { name = "a"; text = "a-` + nonce + `"; destination = "/bin/a"; };
      b = writeTextFile { name = "b"; text = "b"; destination = "/bin/b"; };
      a2 = writeTextFile { name = "a2"; text = "other a"; destination = "/bin/a"; };
      share = writeTextFile { name = "share"; text = "doc"; destination = "/share/doc/x"; };`
	outs := mustBuild(t, withPkgs(t, hostSystem, `let`+parts+` in [
      (symlinkJoin { name = "joined"; paths = [ a b a2 share ]; })
      (buildEnv { name = "env"; paths = [ a b share ]; })
      a ]`))
	a := string(outs[2].Outputs["out"])
	for i, o := range outs[:2] {
		root := realPath(t, o.Outputs["out"])
		if got, _ := fileAt(t, root, "bin/a"); got != "a-"+nonce {
			t.Errorf("%d: bin/a = %q, want the first path's", i, got)
		}
		if target, _ := os.Readlink(filepath.Join(root, "bin/a")); target != a+"/bin/a" {
			t.Errorf("%d: bin/a -> %q, want %s/bin/a", i, target, a)
		}
		if got, _ := fileAt(t, root, "share/doc/x"); got != "doc" {
			t.Errorf("%d: share/doc/x = %q", i, got)
		}
	}
	// buildEnv refuses two files at the same place.
	_, _, err := buildIn(t, sharedStore(t), withPkgs(t, hostSystem, `let`+parts+` in buildEnv { name = "clash"; paths = [ a a2 ]; }`), buildOptions())
	if err == nil || !strings.Contains(err.Error(), "bin/a") {
		t.Errorf("buildEnv with a collision: %v, want an error naming bin/a", err)
	}
}
