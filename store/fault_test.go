package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/store/internal/testtree"
	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// The fault tests run store operations in a child process (this test
// binary, re-executed with FAULT_CHILD_OP set) and kill it with SIGKILL at
// every fault point the operation passes (FRAZIL_FAULTPOINT=NAME:N), or at
// random times. After each crash the store must verify (contents
// included) with the path either wholly valid or absent, and running the
// operation again must succeed.

// TestMain runs the test binary as a fault-test child when FAULT_CHILD_OP
// is set.
func TestMain(m *testing.M) {
	if op := os.Getenv("FAULT_CHILD_OP"); op != "" {
		faultChild(op)
	}
	os.Exit(m.Run())
}

// faultChild performs one operation, op, on the store at FAULT_CHILD_ROOT
// with the input FAULT_CHILD_SRC, prints the resulting store path and
// exits.
func faultChild(op string) {
	s, err := Open(os.Getenv("FAULT_CHILD_ROOT"))
	if err == nil {
		var p storepath.Path
		p, err = childOp(s, op, os.Getenv("FAULT_CHILD_SRC"))
		fmt.Println(p)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func childOp(s *Store, op, src string) (storepath.Path, error) {
	switch op {
	case "tree":
		info, err := s.AddTree(src, "tree", storepath.Recursive, nil)
		return pathOf(info), err
	case "flat":
		info, err := s.AddFixed(src, "flat", storepath.Flat, nixhash.SHA1)
		return pathOf(info), err
	case "text":
		b, err := os.ReadFile(src)
		if err != nil {
			return "", err
		}
		return s.AddText("text", b, nil)
	case "nar":
		data, err := os.ReadFile(src)
		if err != nil {
			return "", err
		}
		info := narInfo("nar", data)
		return info.Path, s.AddNAR(info, bytes.NewReader(data))
	case "register":
		return childRegister(s, src)
	case "gc":
		_, err := s.GC(GCOptions{})
		return "", err
	case "many":
		// Add paths, announcing each, then wait for stdin to close.
		for i := 0; i < 20; i++ {
			p, err := s.AddText(fmt.Sprint("many", i), []byte(fmt.Sprint("many ", i)), nil)
			if err != nil {
				return "", err
			}
			fmt.Println(p)
		}
		io.Copy(io.Discard, os.Stdin)
		return "", nil
	}
	return "", fmt.Errorf("unknown op %q", op)
}

func pathOf(info *PathInfo) storepath.Path {
	if info == nil {
		return ""
	}
	return info.Path
}

// childRegister does what the builder does: write an output at its final
// name, canonicalise it and register it.
func childRegister(s *Store, src string) (storepath.Path, error) {
	p := storepath.Path("/nix/store/0c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-out")
	real := s.RealPath(p)
	if ok, err := s.IsValid(p); err != nil || ok {
		return p, err
	}
	os.Chmod(real, 0o755)
	os.RemoveAll(real) // the remains of an earlier, interrupted build
	b, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(real, b, 0o644); err != nil {
		return "", err
	}
	if err := Canonicalise(real); err != nil {
		return "", err
	}
	var data bytes.Buffer
	if err := nar.DumpPath(&data, real); err != nil {
		return "", err
	}
	h := nixhash.Sum(nixhash.SHA256, data.Bytes())
	return p, s.Register([]*PathInfo{{Path: p, NarHash: h, NarSize: uint64(data.Len()), Ultimate: true}})
}

// runChild runs an operation in a child process with extra environment
// and reports whether SIGKILL ended it, and its stdout.
func runChild(t *testing.T, op, root, src string, env ...string) (killed bool, out string, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), append([]string{"FAULT_CHILD_OP=" + op, "FAULT_CHILD_ROOT=" + root, "FAULT_CHILD_SRC=" + src}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		ws := ee.Sys().(syscall.WaitStatus)
		if ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true, "", nil
		}
		return false, "", fmt.Errorf("child %s: %v: %s", op, err, stderr.String())
	}
	return false, strings.TrimSpace(stdout.String()), err
}

// faultSetup prepares a store root and an input for an operation.
type faultSetup func(t *testing.T, root string) (src string)

func setupTree(t *testing.T, root string) string {
	src := filepath.Join(t.TempDir(), "tree")
	must(t, testtree.Generate(src, testtree.Options{Seed: 5, Entries: 60}))
	return src
}

func setupFile(t *testing.T, root string) string {
	src := filepath.Join(t.TempDir(), "file")
	must(t, os.WriteFile(src, []byte("file contents for the fault tests\n"), 0o644))
	return src
}

func setupNAR(t *testing.T, root string) string {
	tree := setupTree(t, root)
	src := filepath.Join(t.TempDir(), "tree.nar")
	must(t, os.WriteFile(src, narOf(t, tree), 0o644))
	return src
}

func setupGC(t *testing.T, root string) string {
	s, err := Open(root)
	must(t, err)
	chain(t, s, 4, "dead")
	_, err = s.AddTree(setupTree(t, root), "deadtree", storepath.Recursive, nil)
	must(t, err)
	s.Close()
	return ""
}

// checkAfterCrash opens the store, verifies it and checks that p is
// either valid or leaves nothing registered.
func checkAfterCrash(t *testing.T, root string, p storepath.Path) {
	t.Helper()
	s, err := Open(root)
	must(t, err)
	defer s.Close()
	rep, err := s.Verify(true)
	must(t, err)
	if !rep.OK() {
		t.Fatalf("store inconsistent after the crash: missing %v, corrupt %v, dangling %v", rep.Missing, rep.Corrupt, rep.Dangling)
	}
	if p == "" {
		return
	}
	if ok, _ := s.IsValid(p); !ok {
		if _, err := s.QueryPathInfo(p); !errors.Is(err, ErrNotValid) {
			t.Fatalf("path %s: not valid, but QueryPathInfo says %v", p, err)
		}
	}
	assertNoTemp(t, s)
}

// pointHits reads a FRAZIL_FAULTPOINT_LOG file into "name:N" specs, one
// per hit.
func pointHits(t *testing.T, log string) []string {
	b, err := os.ReadFile(log)
	must(t, err)
	count := map[string]int{}
	var specs []string
	for _, name := range strings.Fields(string(b)) {
		count[name]++
		specs = append(specs, fmt.Sprintf("%s:%d", name, count[name]))
	}
	return specs
}

func TestFaultPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("fault tests run child processes")
	}
	ops := []struct {
		op    string
		setup faultSetup
		want  []string // points that must be among those hit
	}{
		{"tree", setupTree, []string{fpWritten, fpCanonical, fpSynced, fpRenamed, fpDirSynced, fpCommitted, fpTempRooted}},
		{"flat", setupFile, []string{fpWritten, fpRenamed, fpCommitted}},
		{"text", setupFile, []string{fpWritten, fpRenamed, fpCommitted}},
		{"nar", setupNAR, []string{fpWritten, fpRenamed, fpCommitted}},
		{"register", setupFile, []string{fpRegSynced, fpRegCommitted}},
		{"gc", setupGC, []string{fpInvalidated, fpGCDeleted}},
	}
	for _, o := range ops {
		t.Run(o.op, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "root")
			src := o.setup(t, root)
			log := filepath.Join(t.TempDir(), "log")
			killed, want, err := runChild(t, o.op, root, src, "FRAZIL_FAULTPOINT_LOG="+log)
			if err != nil || killed {
				t.Fatalf("clean run: killed=%v err=%v", killed, err)
			}
			specs := pointHits(t, log)
			for _, w := range o.want {
				if !strings.Contains(strings.Join(specs, " ")+" ", w+":") {
					t.Errorf("fault point %s was not hit (hits: %v)", w, specs)
				}
			}
			for _, spec := range specs {
				root := filepath.Join(t.TempDir(), "root")
				src := o.setup(t, root)
				killed, _, err := runChild(t, o.op, root, src, "FRAZIL_FAULTPOINT="+spec)
				if err != nil || !killed {
					t.Fatalf("%s: child was not killed (err %v)", spec, err)
				}
				checkAfterCrash(t, root, storepath.Path(want))
				killed, got, err := runChild(t, o.op, root, src)
				if err != nil || killed || got != want {
					t.Fatalf("%s: re-run gave %q (killed=%v, err=%v), want %q", spec, got, killed, err, want)
				}
				checkAfterCrash(t, root, storepath.Path(want))
				if want != "" {
					s, err := Open(root)
					must(t, err)
					if ok, _ := s.IsValid(storepath.Path(want)); !ok {
						t.Errorf("%s: %s not valid after the re-run", spec, want)
					}
					s.Close()
				}
			}
			t.Logf("%s: crashed at %d points: %v", o.op, len(specs), specs)
		})
	}
}

// TestRandomKill kills an add of a larger tree at random moments.
func TestRandomKill(t *testing.T) {
	if testing.Short() {
		t.Skip("fault tests run child processes")
	}
	src := filepath.Join(t.TempDir(), "tree")
	must(t, testtree.Generate(src, testtree.Options{Seed: 11, Entries: 300, Large: true}))
	root := filepath.Join(t.TempDir(), "root")
	start := time.Now()
	killed, want, err := runChild(t, "tree", root, src)
	if err != nil || killed {
		t.Fatalf("clean run: %v", err)
	}
	full := time.Since(start)
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 12; i++ {
		root := filepath.Join(t.TempDir(), "root")
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "FAULT_CHILD_OP=tree", "FAULT_CHILD_ROOT="+root, "FAULT_CHILD_SRC="+src)
		must(t, cmd.Start())
		time.Sleep(time.Duration(r.Int64N(int64(full))))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		checkAfterCrash(t, root, storepath.Path(want))
		if killed, got, err := runChild(t, "tree", root, src); err != nil || killed || got != want {
			t.Fatalf("re-run after kill %d: %q, %v; want %q", i, got, err, want)
		}
	}
}

// TestGCConcurrentProcess collects garbage while another process adds
// paths: a path whose add has returned in that process is never collected
// while the process lives.
func TestGCConcurrentProcess(t *testing.T) {
	s := openStore(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FAULT_CHILD_OP=many", "FAULT_CHILD_ROOT="+s.Root())
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	defer cmd.Wait()
	defer stdin.Close()
	sc := bufio.NewScanner(stdout)
	var added []storepath.Path
	for len(added) < 20 && sc.Scan() {
		added = append(added, storepath.Path(sc.Text()))
		if _, err := s.GC(GCOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, p := range added {
			if ok, _ := s.IsValid(p); !ok {
				t.Fatalf("%s was collected while the process that added it runs", p)
			}
		}
	}
	if len(added) != 20 {
		t.Fatalf("child announced %d paths, want 20", len(added))
	}
	stdin.Close()
	must(t, cmd.Wait())
	res, err := s.GC(GCOptions{})
	must(t, err)
	if len(res.Deleted) != 20 {
		t.Errorf("after the adder exited GC deleted %d paths, want 20", len(res.Deleted))
	}
}
