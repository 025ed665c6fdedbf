package eval

// This file defines the builtins that read files or add them to the
// store.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/frazil/frazil/eval/syntax"
	"github.com/frazil/frazil/store/nixbase32"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// realPath returns where a path that may be inside the store is on
// this host.
func (ev *Evaluator) realPath(p string) string {
	if rest, ok := strings.CutPrefix(p, storeDir+"/"); ok {
		base, sub, _ := strings.Cut(rest, "/")
		real := ev.store.RealPath(storepath.Path(storeDir + "/" + base))
		if sub != "" {
			real += "/" + sub
		}
		return real
	}
	return p
}

// fileError raises the error for a failed file operation on p.
func (ev *Evaluator) fileError(pos syntax.Pos, what, p string, err error) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		ev.errorf(ErrEval, pos, "path '%s' does not exist", p)
	case errors.Is(err, syscall.ENOTDIR):
		ev.errorf(ErrEval, pos, "'%s' is not a directory", p)
	}
	ev.errorf(ErrEval, pos, "%s '%s': %v", what, p, unwrapPathError(err))
}

// pathArg coerces a builtin's argument to a readable host path.
func (ev *Evaluator) pathArg(pos syntax.Pos, v Value) (string, string) {
	var cb contextBuilder
	p := ev.coerceToPath(pos, v, &cb)
	ev.checkNoOutputs(pos, cb.ctx, p)
	return p, ev.realPath(p)
}

func primReadFile(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	p, real := ev.pathArg(pos, args[0])
	data, err := os.ReadFile(real)
	if err != nil {
		ev.fileError(pos, "opening file", p, err)
	}
	return NewString(string(data))
}

func primReadDir(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	p, real := ev.pathArg(pos, args[0])
	entries, err := os.ReadDir(real)
	if err != nil {
		ev.fileError(pos, "opening directory", p, err)
	}
	out := make([]Attr, len(entries))
	for i, e := range entries {
		out[i] = Attr{Name: Intern(e.Name()), Value: NewString(fileType(e.Type()))}
	}
	return NewAttrs(out)
}

func primReadFileType(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	p, real := ev.pathArg(pos, args[0])
	fi, err := os.Lstat(real)
	if err != nil {
		ev.fileError(pos, "getting status of", p, err)
	}
	return NewString(fileType(fi.Mode()))
}

func primPathExists(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	v := ev.force(args[0])
	var cb contextBuilder
	p := ev.coerceToPath(pos, v, &cb)
	real := ev.realPath(p)
	// A string path ending in "/" must be a directory.
	if _, ok := v.(Path); !ok && strings.HasSuffix(p, "/") {
		fi, err := os.Stat(real)
		return boolValue(err == nil && fi.IsDir())
	}
	_, err := os.Stat(real)
	return boolValue(err == nil)
}

func primHashFile(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	h, _ := ev.newHash(ev.forceStringNoCtx(args[0], pos), pos)
	p, real := ev.pathArg(pos, args[1])
	f, err := os.Open(real)
	if err != nil {
		ev.fileError(pos, "opening file", p, err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		ev.errorf(ErrEval, pos, "reading file '%s': %v", p, err)
	}
	return NewString(hex.EncodeToString(h.Sum(nil)))
}

// addPath adds a host path to the store, checking an expected hash.
func (ev *Evaluator) addPath(pos syntax.Pos, src, name string, m storepath.Method, filter PathFilter, expected *nixhash.Hash) Value {
	if _, err := os.Lstat(src); err != nil {
		ev.fileError(pos, "getting status of", src, err)
	}
	if err := storepath.ValidateName(name); err != nil {
		ev.errorf(ErrEval, pos, "invalid store path name '%s': %v", name, err)
	}
	if expected != nil {
		want, err := storepath.MakeFixedOutput(m, *expected, name, nil, false)
		if err != nil {
			ev.errorf(ErrEval, pos, "%v", err)
		}
		p, _, err := ev.store.AddPath(src, name, m, filter)
		if err != nil {
			ev.errorf(ErrEval, pos, "adding '%s' to the store: %v", src, err)
		}
		if p != want {
			ev.errorf(ErrEval, pos, "store path mismatch in (possibly filtered) path added from '%s'", src)
		}
		return NewStringContext(string(p), NewContext(string(p)))
	}
	p, _, err := ev.store.AddPath(src, name, m, filter)
	if err != nil {
		ev.errorf(ErrEval, pos, "adding '%s' to the store: %v", src, err)
	}
	return NewStringContext(string(p), NewContext(string(p)))
}

// nixFilter wraps a Nix function (path: type: bool) as a PathFilter.
func (ev *Evaluator) nixFilter(f Value, pos syntax.Pos) PathFilter {
	if f == nil {
		return nil
	}
	return func(path, typ string) bool {
		return ev.forceBool(ev.callN(f, []Value{NewString(path), NewString(typ)}, pos), pos)
	}
}

func primFilterSource(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	src, real := ev.pathArg(pos, args[1])
	return ev.addPath(pos, real, baseName(src), storepath.Recursive, ev.nixFilter(f, pos), nil)
}

func primPath(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	var src, real, name string
	var filter Value
	method := storepath.Recursive
	var expected *nixhash.Hash
	for _, at := range a.attrs {
		switch at.Name.String() {
		case "path":
			src, real = ev.pathArg(pos, at.Value)
		case "name":
			name = ev.forceStringNoCtx(at.Value, pos)
		case "filter":
			filter = ev.forceFunction(at.Value, pos)
		case "recursive":
			if !ev.forceBool(at.Value, pos) {
				method = storepath.Flat
			}
		case "sha256":
			s := ev.forceStringNoCtx(at.Value, pos)
			h, err := nixhash.Parse(s, nixhash.SHA256)
			if err != nil {
				ev.errorf(ErrEval, pos, "invalid hash '%s': %v", s, err)
			}
			expected = &h
		default:
			ev.errorf(ErrEval, at.Pos, "unsupported argument '%s' to 'builtins.path'", at.Name)
		}
	}
	if src == "" {
		ev.errorf(ErrEval, pos, "missing required 'path' attribute in the first argument to builtins.path")
	}
	if name == "" {
		name = baseName(src)
	}
	return ev.addPath(pos, real, name, method, ev.nixFilter(filter, pos), expected)
}

func primToFile(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	name := ev.forceStringNoCtx(args[0], pos)
	s := ev.forceString(args[1], pos)
	var refs []storepath.Path
	for _, c := range s.ctx.Elems() {
		if c[0] != '/' {
			ev.errorf(ErrEval, pos, "in 'toFile': the file '%s' cannot refer to derivation outputs", name)
		}
		refs = append(refs, storepath.Path(c))
	}
	p, err := ev.store.AddText(name, []byte(s.s), refs)
	if err != nil {
		ev.errorf(ErrEval, pos, "in 'toFile': %v", err)
	}
	for _, r := range refs {
		ev.pathRefs[string(p)] = append(ev.pathRefs[string(p)], string(r))
	}
	return NewStringContext(string(p), NewContext(string(p)))
}

// FindFile looks a <name> path up in a search path of "prefix=dir" or
// "dir" entries.
func FindFile(searchPath []string, name string) (string, bool) {
	for _, e := range searchPath {
		prefix, dir := "", e
		if i := strings.IndexByte(e, '='); i >= 0 {
			prefix, dir = e[:i], e[i+1:]
		}
		if p, ok := findIn(prefix, dir, name); ok {
			return p, true
		}
	}
	return "", false
}

func findIn(prefix, dir, name string) (string, bool) {
	rest := name
	if prefix != "" {
		switch {
		case name == prefix:
			rest = ""
		case strings.HasPrefix(name, prefix+"/"):
			rest = name[len(prefix)+1:]
		default:
			return "", false
		}
	}
	if strings.Contains(dir, "://") {
		return "", false
	}
	p := dir
	if rest != "" {
		p = dir + "/" + rest
	}
	if !filepath.IsAbs(p) {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
	}
	p = syntax.CanonPath(p)
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return p, true
}

func primFindFile(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	l := ev.forceList(args[0], pos)
	name := ev.forceStringNoCtx(args[1], pos)
	for _, e := range l.elems {
		a := ev.forceAttrs(e, pos)
		prefix := ""
		if v, ok := a.Get(symPrefix); ok {
			prefix = ev.forceStringNoCtx(v, pos)
		}
		pv, ok := a.Get(symPath)
		if !ok {
			ev.errorf(ErrEval, pos, "attribute 'path' missing")
		}
		var cb contextBuilder
		dir := ev.coerceToString(pos, pv, &cb, false, false)
		if p, ok := findIn(prefix, dir, name); ok {
			return Path(p)
		}
	}
	ev.errorf(ErrEval, pos, "file '%s' was not found in the Nix search path (add it using $NIX_PATH or -I)", name)
	return nil
}

func primGetEnv(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	name := ev.forceStringNoCtx(args[0], pos)
	if ev.opts.Pure {
		return emptyString
	}
	return NewString(ev.opts.Getenv(name))
}

func primStorePath(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	p := ev.coerceToPath(pos, args[0], &cb)
	rest, ok := strings.CutPrefix(p, storeDir+"/")
	if !ok {
		ev.errorf(ErrEval, pos, "path '%s' is not in the Nix store", p)
	}
	base, _, _ := strings.Cut(rest, "/")
	sp := storeDir + "/" + base
	if _, err := storepath.Parse(sp); err != nil {
		ev.errorf(ErrEval, pos, "path '%s' is not in the Nix store", p)
	}
	return NewStringContext(p, NewContext(sp))
}

func primToPath(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	p := ev.coerceToPath(pos, args[0], &cb)
	return NewStringContext(syntax.CanonPath(p), cb.ctx)
}

// Placeholder returns the placeholder string for an output name.
func Placeholder(output string) string {
	sum := sha256.Sum256([]byte("nix-output:" + output))
	return "/" + nixbase32.EncodeToString(sum[:])
}

func primPlaceholder(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return NewString(Placeholder(ev.forceStringNoCtx(args[0], pos)))
}

func primFetchUnsupported(name string) builtinFunc {
	return func(ev *Evaluator, pos syntax.Pos, args []Value) Value {
		ev.errorf(ErrEval, pos, "builtins.%s is not supported: Frazil's evaluator does not use the network", name)
		return nil
	}
}
