package builder

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkSandbox(b *testing.B) {
	for _, network := range []bool{false, true} {
		name := "private-network"
		if network {
			name = "host-network"
		}
		b.Run(name, func(b *testing.B) {
			f := newSandboxFixture(b)
			f.spec.Network = network
			for i := 0; b.Loop(); i++ {
				os.RemoveAll(f.spec.Root)
				if err := runSandbox(context.Background(), f.spec); err != nil {
					b.Fatal(err)
				}
				os.RemoveAll(filepath.Join(f.spec.Root))
			}
		})
	}
}
