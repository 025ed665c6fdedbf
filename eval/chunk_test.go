package eval

// This file runs the tests written in the Nix language itself
// (testdata/lang/*.nix), in the chunked format of starlark-go's tests:
//
//   - a line "---" separates independent chunks (each one expression);
//   - a line starting with "#=> " gives (part of) the expected output of
//     the chunk, as `nix-instantiate --eval --strict` prints it;
//   - "### regexp" at the end of a line says evaluation must fail with
//     an error matching regexp whose position is on that line;
//   - a line starting with "# newer Nix:" marks a chunk where Nix 2.8
//     behaves differently (TestLanguageNix skips it).
//
// Chunks are parsed with blank lines in front, so that positions are
// those of the test file.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
)

type chunk struct {
	src     string
	line    int // first line of the chunk in the file
	want    string
	errLine int
	errRx   string
	newer   bool // Nix 2.8 differs
}

func readChunks(t *testing.T, file string) []chunk {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var chunks []chunk
	cur := chunk{line: 1}
	var src []string
	lines := strings.Split(string(data), "\n")
	flush := func() {
		cur.src = strings.Join(src, "\n")
		if strings.TrimSpace(stripComments(cur.src)) != "" {
			chunks = append(chunks, cur)
		}
	}
	for i, l := range lines {
		n := i + 1
		if l == "---" {
			flush()
			cur, src = chunk{line: n + 1}, nil
			continue
		}
		if strings.HasPrefix(l, "# newer Nix:") {
			cur.newer = true
		}
		if rest, ok := strings.CutPrefix(l, "#=> "); ok {
			if cur.want != "" {
				cur.want += "\n"
			}
			cur.want += rest
		}
		if k := strings.Index(l, "### "); k >= 0 {
			cur.errLine, cur.errRx = n, strings.TrimSpace(l[k+4:])
			l = l[:k]
		}
		src = append(src, l)
	}
	flush()
	return chunks
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// evalChunk evaluates a chunk as nix-instantiate --eval --strict would.
func evalChunk(file string, c chunk) (string, error) {
	ev := New(Options{Stderr: &strings.Builder{}, SearchPath: []string{"testdir=" + filepath.Dir(file)}})
	pad := strings.Repeat("\n", c.line-1)
	p, err := ev.ParseString(pad+c.src, file, filepath.Dir(file))
	if err != nil {
		return "", err
	}
	v, err := ev.Eval(p)
	if err != nil {
		return "", err
	}
	if err := ev.ForceDeep(v); err != nil {
		return "", err
	}
	return ev.Print(v)
}

func TestLanguage(t *testing.T) {
	files, _ := filepath.Glob("testdata/lang/*.nix")
	if len(files) == 0 {
		t.Fatal("no tests in testdata/lang")
	}
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, c := range readChunks(t, abs) {
				got, err := evalChunk(abs, c)
				name := filepath.Base(f) + ":" + itoa(c.line)
				if c.errRx != "" {
					checkChunkError(t, name, c, err)
					continue
				}
				if err != nil {
					t.Errorf("%s: unexpected error: %v", name, err)
					continue
				}
				if c.want == "" {
					t.Errorf("%s: chunk has no #=> or ### expectation", name)
					continue
				}
				if got := withDir(got, abs); got != c.want {
					t.Errorf("%s:\n got %s\nwant %s", name, got, c.want)
				}
			}
		})
	}
}

func checkChunkError(t *testing.T, name string, c chunk, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: evaluation succeeded, want error matching %q", name, c.errRx)
		return
	}
	rx, rerr := regexp.Compile(c.errRx)
	if rerr != nil {
		t.Fatalf("%s: bad regexp: %v", name, rerr)
	}
	e, ok := err.(*Error)
	if !ok {
		t.Errorf("%s: error %T %v is not an *eval.Error", name, err, err)
		return
	}
	if !rx.MatchString(e.Msg) {
		t.Errorf("%s: error %q does not match %q", name, e.Msg, c.errRx)
	}
	if line := e.Position().Line; line != c.errLine {
		t.Errorf("%s: error %q at line %d, want line %d", name, e.Msg, line, c.errLine)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// withDir replaces the test file's directory in printed output by $DIR, so
// that expectations about paths hold wherever the tree is checked out.
func withDir(out, file string) string {
	return strings.ReplaceAll(out, filepath.Dir(file), "$DIR")
}

// TestLanguageNix checks the expectations of testdata/lang against Nix
// 2.8 itself, so that they are Nix's behaviour and not merely ours.
func TestLanguageNix(t *testing.T) {
	nix := testutil.RequireTool(t, "nix-instantiate", "make setup")
	files, _ := filepath.Glob("testdata/lang/*.nix")
	tmp := t.TempDir()
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		for _, c := range readChunks(t, abs) {
			if c.newer {
				continue
			}
			name := filepath.Base(f) + ":" + itoa(c.line)
			cmd := exec.Command(nix, "--eval", "--strict", "-E", strings.Repeat("\n", c.line-1)+c.src)
			cmd.Dir = filepath.Dir(abs)
			cmd.Env = append(os.Environ(), "NIX_STATE_DIR="+tmp, "NIX_PATH=testdir="+filepath.Dir(abs))
			out, err := cmd.Output()
			if c.errRx != "" {
				if err == nil {
					t.Errorf("%s: nix-instantiate succeeded (%s), the test expects an error", name, strings.TrimSpace(string(out)))
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: nix-instantiate failed: %v", name, err)
				continue
			}
			if got := withDir(strings.TrimSuffix(string(out), "\n"), abs); got != c.want {
				t.Errorf("%s: nix-instantiate prints\n %s\nthe test expects\n %s", name, got, c.want)
			}
		}
	}
}
