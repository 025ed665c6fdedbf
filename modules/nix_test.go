package modules

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
)

// TestDrvPathsAgainstNix evaluates every example for every platform with
// Nix 2.8 too: the toplevel's derivation path (which covers every
// derivation below it) and the services and activation data must be the
// same.
func TestDrvPathsAgainstNix(t *testing.T) {
	nix := testutil.RequireTool(t, "nix-instantiate", "make setup")
	store := t.TempDir()
	root := repoRoot(t)
	for _, ex := range examples {
		for _, sys := range systems {
			t.Run(ex+"/"+sys, func(t *testing.T) {
				expr := summaryExpr(root, exampleFile(t, ex), sys)
				want, err := evalJSON(t, expr, root)
				if err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(nix, "--store", store, "--eval", "--strict", "--json", "-E", expr)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("nix-instantiate: %v\n%s", err, stderr.String())
				}
				var got, frazil map[string]any
				if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
					t.Fatal(err)
				}
				json.Unmarshal([]byte(want), &frazil)
				for _, k := range []string{"drvPath", "kernelDrv", "services", "activation", "kernelParams", "initrdModules", "stage1"} {
					g, _ := json.Marshal(got[k])
					f, _ := json.Marshal(frazil[k])
					if !bytes.Equal(g, f) {
						t.Errorf("%s: nix-instantiate %s, frazil %s", k, g, f)
					}
				}
				if strings.TrimSpace(stderr.String()) != "" {
					t.Logf("nix-instantiate said: %s", stderr.String())
				}
			})
		}
	}
}
