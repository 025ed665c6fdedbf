//go:build tools

// This file pins the u-root commands the test systems carry (its shell,
// gosh, built with the goshsmall tag for a plain line-based prompt on the
// serial console, and a few core commands), so that go.mod lists the
// modules they need. It is never compiled.

package testsystem

import (
	_ "github.com/u-root/u-root/cmds/core/cat"
	_ "github.com/u-root/u-root/cmds/core/gosh"
	_ "github.com/u-root/u-root/cmds/core/ls"
	_ "github.com/u-root/u-root/cmds/core/readlink"
	_ "github.com/u-root/u-root/cmds/core/sleep"
	_ "github.com/u-root/u-root/cmds/core/touch"
)
