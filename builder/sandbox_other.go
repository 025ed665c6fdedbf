//go:build !linux

package builder

import (
	"context"
	"fmt"
	"runtime"
)

func runSandbox(ctx context.Context, spec *sandboxSpec) error {
	return fmt.Errorf("could not start: building is not supported on %s (it needs Linux namespaces)", runtime.GOOS)
}
