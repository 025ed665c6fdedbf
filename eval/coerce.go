package eval

// This file defines coercion of values to strings, as done by string
// interpolation, `+`, builtins.toString and derivation attributes.

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
	"github.com/frazil/frazil/store/storepath"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// coerceToString converts v to a string, adding the contexts of the
// strings involved to cb. With coerceMore (builtins.toString), integers,
// floats, Booleans, null and lists are converted too; with copyToStore,
// paths are copied to the store and the store path is returned.
func (ev *Evaluator) coerceToString(pos syntax.Pos, v Value, cb *contextBuilder, coerceMore, copyToStore bool) string {
	v = ev.force(v)
	switch x := v.(type) {
	case *String:
		cb.add(x.ctx)
		return x.s
	case Path:
		if copyToStore {
			p := ev.copyPathToStore(pos, string(x))
			cb.add(NewContext(p))
			return p
		}
		return string(x)
	case *Attrs:
		if f, ok := x.Get(symToString); ok {
			r := ev.call(f, x, pos)
			return ev.coerceToString(pos, r, cb, coerceMore, copyToStore)
		}
		if o, ok := x.Get(symOutPath); ok {
			return ev.coerceToString(pos, o, cb, coerceMore, copyToStore)
		}
		ev.errorf(ErrEval, pos, "cannot coerce a set to a string: %s", ev.showValueShort(x))
	}
	if coerceMore {
		switch x := v.(type) {
		case Bool:
			if x {
				return "1"
			}
			return ""
		case Int:
			return strconv.FormatInt(int64(x), 10)
		case Float:
			return strconv.FormatFloat(float64(x), 'f', 6, 64)
		case Null:
			return ""
		case *List:
			ev.enter(pos)
			defer ev.leave()
			var b strings.Builder
			for i, e := range x.elems {
				b.WriteString(ev.coerceToString(pos, e, cb, coerceMore, copyToStore))
				if i < len(x.elems)-1 {
					if l, ok := ev.force(e).(*List); !ok || len(l.elems) != 0 {
						b.WriteByte(' ')
					}
				}
			}
			return b.String()
		}
	}
	ev.errorf(ErrEval, pos, "cannot coerce %s to a string: %s", showType(v), ev.showValueShort(v))
	return ""
}

// coerceToPath coerces v to an absolute path string (for readFile,
// import, …), keeping the context of a string.
func (ev *Evaluator) coerceToPath(pos syntax.Pos, v Value, cb *contextBuilder) string {
	s := ev.coerceToString(pos, v, cb, false, false)
	if s == "" || s[0] != '/' {
		ev.errorf(ErrEval, pos, "string '%s' doesn't represent an absolute path", s)
	}
	return s
}

// copyPathToStore copies a host path to the store (cached per path) and
// returns the store path.
func (ev *Evaluator) copyPathToStore(pos syntax.Pos, p string) string {
	if sp, ok := ev.srcToStore[p]; ok {
		return sp
	}
	name := baseName(p)
	if strings.HasPrefix(p, storeDir+"/") && isStorePathName(p) {
		return p
	}
	if _, err := os.Lstat(p); err != nil {
		ev.fileError(pos, "getting status of", p, err)
	}
	sp, _, err := ev.store.AddPath(p, name, storepath.Recursive, nil)
	if err != nil {
		ev.errorf(ErrEval, pos, "copying '%s' to the store: %v", p, err)
	}
	ev.srcToStore[p] = string(sp)
	return string(sp)
}

// isStorePathName reports whether p is directly a store path (not a
// file inside one).
func isStorePathName(p string) bool {
	rest := strings.TrimPrefix(p, storeDir+"/")
	return rest != "" && !strings.Contains(rest, "/")
}

// baseName is Nix's baseNameOf: the last path component, ignoring a
// trailing slash.
func baseName(p string) string {
	p = strings.TrimSuffix(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// dirName is Nix's dirOf: everything before the last slash ("/" for a
// top-level path, "." for a bare name).
func dirName(p string) string {
	i := strings.LastIndexByte(p, '/')
	switch {
	case i < 0:
		return "."
	case i == 0:
		return "/"
	}
	return p[:i]
}
