package builder

// This file defines one build: lock the outputs, clear what a dead build
// left, run the builder in a scratch directory, then check, move and
// register the outputs.
//
// Crash safety rests on the store's rule that a path on disk without a
// database entry is garbage. The outputs are complete and canonical
// before they are renamed to their final names, and they are registered
// in one transaction after that; a build killed anywhere in between
// leaves invalid paths that the next build of the derivation (holding
// the same locks) removes before it starts.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/internal/faultpoint"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// The builder's fault points, in the order a build passes them.
const (
	fpBuilt      = "builder.built"      // the builder exited successfully
	fpProcessed  = "builder.processed"  // outputs checked, canonical and hashed
	fpMoved      = "builder.moved"      // one output renamed into the store
	fpSynced     = "builder.synced"     // the store directory synced
	fpRegistered = "builder.registered" // outputs registered
)

func (b *Builder) runNode(ctx context.Context, n *node) error {
	if n.action == actSubstitute {
		return b.runSubstitute(ctx, n)
	}
	return b.runBuild(ctx, n, n.action == actCheck)
}

// runBuild builds n (or, with check, rebuilds it and compares).
func (b *Builder) runBuild(ctx context.Context, n *node, check bool) error {
	d := n.drv
	if !b.canRun(d.Platform, d.Builder) {
		return fmt.Errorf("a '%s' with features {} is required to build '%s', but I am a '%s' with features {}", d.Platform, n.path, b.opts.System)
	}
	outs := make([]storepath.Path, 0, len(n.outputs))
	for _, p := range n.outputs {
		outs = append(outs, p)
	}
	release, err := b.lockPaths(outs)
	if err != nil {
		return err
	}
	defer release()
	missing, err := b.invalidPaths(outs)
	if err != nil || (len(missing) == 0 && !check) {
		return err // built meanwhile by another process
	}
	if err := b.clearStale(n, missing); err != nil {
		return err
	}
	if err := b.store.SetDerivationOutputs(n.path, n.outputs); err != nil {
		return err
	}
	bd, err := b.newBuildDir(n)
	if err != nil {
		return err
	}
	defer bd.remove()
	return b.buildIn(ctx, n, bd, check)
}

// buildIn runs the builder in bd and processes its outputs.
func (b *Builder) buildIn(ctx context.Context, n *node, bd *buildDir, check bool) error {
	inputs, err := b.inputClosure(n)
	if err != nil {
		return err
	}
	if err := b.runBuilder(ctx, n, bd, inputs); err != nil {
		return &BuildError{Drv: n.path, Err: err}
	}
	faultpoint.Hit(fpBuilt)
	infos, err := b.processOutputs(n, bd, inputs, check)
	if err != nil {
		return err
	}
	faultpoint.Hit(fpProcessed)
	if check {
		return b.compareCheck(n, infos)
	}
	return b.install(bd, infos)
}

// invalidPaths returns those of ps that are not valid.
func (b *Builder) invalidPaths(ps []storepath.Path) ([]storepath.Path, error) {
	var out []storepath.Path
	for _, p := range ps {
		ok, err := b.store.IsValid(p)
		if err != nil {
			return nil, err
		}
		if !ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// inputClosure returns the paths the builder may see: the closure of the
// input sources and of the outputs it uses of its input derivations.
func (b *Builder) inputClosure(n *node) ([]storepath.Path, error) {
	var roots []storepath.Path
	for _, src := range n.drv.InputSrcs {
		roots = append(roots, storepath.Path(src))
	}
	for drvPath, outs := range n.drv.InputDrvs {
		for _, o := range outs {
			roots = append(roots, n.inputs[storepath.Path(drvPath)].outputs[o])
		}
	}
	return b.store.Closure(roots)
}

// install moves the checked outputs to their final names and registers
// them all in one transaction.
func (b *Builder) install(bd *buildDir, infos []*store.PathInfo) error {
	for _, info := range infos {
		final := b.store.RealPath(info.Path)
		if err := b.removeInvalid(final); err != nil {
			return err
		}
		if err := os.Rename(bd.outPath(info.Path), final); err != nil {
			return fmt.Errorf("move output %s: %w", info.Path, err)
		}
		faultpoint.Hit(fpMoved)
	}
	if err := syncDir(filepath.Join(b.store.Root(), storepath.Dir)); err != nil {
		return err
	}
	faultpoint.Hit(fpSynced)
	if err := b.store.Register(infos); err != nil {
		return err
	}
	faultpoint.Hit(fpRegistered)
	return nil
}

// clearStale removes what a build of n killed earlier left behind: its
// scratch directories and outputs that reached the store but were never
// registered. The caller holds the output locks, so no live build of n
// can own them.
func (b *Builder) clearStale(n *node, missing []storepath.Path) error {
	dirs, err := filepath.Glob(filepath.Join(b.store.Root(), storepath.Dir, ".tmp-*-build-"+n.path.HashPart()+"-*"))
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if err := removeTree(d); err != nil {
			return err
		}
	}
	for _, p := range missing {
		if err := b.removeInvalid(b.store.RealPath(p)); err != nil {
			return err
		}
	}
	return nil
}

// removeInvalid deletes whatever is at the final name of a path that is
// not valid, renaming it out of the way first so that a crash midway
// never leaves a half-deleted tree under a store path's name.
func (b *Builder) removeInvalid(final string) error {
	if _, err := os.Lstat(final); os.IsNotExist(err) {
		return nil
	}
	trash := filepath.Join(filepath.Dir(final), fmt.Sprintf(".tmp-%d-trash-%s", os.Getpid(), randomHex()))
	if err := os.Rename(final, trash); err != nil {
		return fmt.Errorf("remove stale %s: %w", final, err)
	}
	return removeTree(trash)
}

// buildDir is the scratch space of one build, inside the store directory
// so that outputs can be renamed into the store:
//
//	R/nix/store/.tmp-<pid>-build-<drv hash>-<random>/
//	  root/          the sandbox's "/"; outputs appear in root/nix/store
//	  build/         mounted at /build
type buildDir struct {
	dir, root, build string
}

func (b *Builder) newBuildDir(n *node) (*buildDir, error) {
	dir := filepath.Join(b.store.Root(), storepath.Dir,
		fmt.Sprintf(".tmp-%d-build-%s-%s", os.Getpid(), n.path.HashPart(), randomHex()))
	bd := &buildDir{dir: dir, root: filepath.Join(dir, "root"), build: filepath.Join(dir, "build")}
	for _, d := range []string{bd.root, filepath.Join(bd.root, storepath.Dir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create build directory: %w", err)
		}
	}
	if err := os.Mkdir(bd.build, 0o700); err != nil {
		return nil, fmt.Errorf("create build directory: %w", err)
	}
	return bd, nil
}

// outPath is where output p is written during the build.
func (bd *buildDir) outPath(p storepath.Path) string { return filepath.Join(bd.root, string(p)) }

func (bd *buildDir) remove() { removeTree(bd.dir) }

func randomHex() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
