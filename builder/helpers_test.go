package builder

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	testBuilderOnce sync.Once
	testBuilderPath string
	testBuilderErr  error
	testBinDir      string
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	code := m.Run()
	if testBinDir != "" {
		os.RemoveAll(testBinDir)
	}
	os.Exit(code)
}

// testBuilder returns a static build of testdata/cmd/testbuilder, compiled
// once per test binary.
func testBuilder(t testing.TB) string {
	t.Helper()
	testBuilderOnce.Do(func() {
		testBinDir, testBuilderErr = os.MkdirTemp("", "frazil-testbuilder-")
		if testBuilderErr != nil {
			return
		}
		testBuilderPath = filepath.Join(testBinDir, "testbuilder")
		cmd := exec.Command("go", "build", "-trimpath", "-o", testBuilderPath, "./testdata/cmd/testbuilder")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			testBuilderErr = &buildErr{err, out}
		}
	})
	if testBuilderErr != nil {
		t.Fatalf("building the test builder: %v", testBuilderErr)
	}
	return testBuilderPath
}

type buildErr struct {
	err error
	out []byte
}

func (e *buildErr) Error() string { return e.err.Error() + ": " + string(e.out) }
