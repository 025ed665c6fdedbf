package eval

// This file defines the builtins for strings.

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"regexp"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
	"github.com/frazil/frazil/store/nixbase32"
	"github.com/frazil/frazil/store/nixhash"
)

func primToString(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	s := ev.coerceToString(pos, args[0], &cb, true, false)
	return NewStringContext(s, cb.ctx)
}

func primStringLength(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	return Int(len(ev.coerceToString(pos, args[0], &cb, false, true)))
}

func primSubstring(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	start := ev.forceInt(args[0], pos)
	length := ev.forceInt(args[1], pos)
	var cb contextBuilder
	s := ev.coerceToString(pos, args[2], &cb, false, true)
	if start < 0 {
		ev.errorf(ErrEval, pos, "negative start position in 'substring'")
	}
	if start >= int64(len(s)) {
		return NewStringContext("", cb.ctx)
	}
	end := int64(len(s))
	if length >= 0 && start+length < end {
		end = start + length
	}
	return NewStringContext(s[start:end], cb.ctx)
}

func primConcatStringsSep(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	sep := ev.forceString(args[0], pos)
	cb.add(sep.ctx)
	l := ev.forceList(args[1], pos)
	var b strings.Builder
	for i, e := range l.elems {
		if i > 0 {
			b.WriteString(sep.s)
		}
		b.WriteString(ev.coerceToString(pos, e, &cb, false, true))
	}
	return NewStringContext(b.String(), cb.ctx)
}

func primReplaceStrings(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	from := ev.forceList(args[0], pos)
	to := ev.forceList(args[1], pos)
	if len(from.elems) != len(to.elems) {
		ev.errorf(ErrEval, pos, "'from' and 'to' arguments passed to builtins.replaceStrings have different lengths")
	}
	pats := make([]string, len(from.elems))
	for i, e := range from.elems {
		pats[i] = ev.forceString(e, pos).s
	}
	repl := make([]*String, len(to.elems)) // forced when first used
	var cb contextBuilder
	s := ev.forceString(args[2], pos)
	cb.add(s.ctx)
	var b strings.Builder
	for p := 0; p <= len(s.s); {
		found := false
		for i, pat := range pats {
			if !strings.HasPrefix(s.s[p:], pat) {
				continue
			}
			found = true
			if repl[i] == nil {
				repl[i] = ev.forceString(to.elems[i], pos)
				cb.add(repl[i].ctx)
			}
			b.WriteString(repl[i].s)
			if pat == "" {
				if p < len(s.s) {
					b.WriteByte(s.s[p])
				}
				p++
			} else {
				p += len(pat)
			}
			break
		}
		if !found {
			if p < len(s.s) {
				b.WriteByte(s.s[p])
			}
			p++
		}
	}
	return NewStringContext(b.String(), cb.ctx)
}

// compileRegex compiles a POSIX extended regular expression with
// leftmost-longest semantics, caching the result.
func (ev *Evaluator) compileRegex(re string, pos syntax.Pos, anchored bool) *regexp.Regexp {
	key := re
	if anchored {
		key = "^" + re
	}
	if r, ok := ev.regexCache[key]; ok {
		return r
	}
	src := translateERE(re)
	if anchored {
		src = "^(?:" + src + ")$"
	}
	// In POSIX regular expressions '.' matches a newline too.
	r, err := regexp.Compile("(?s)" + src)
	if err != nil {
		ev.errorf(ErrEval, pos, "invalid regular expression '%s'", re)
	}
	r.Longest()
	ev.regexCache[key] = r
	return r
}

// translateERE rewrites the parts of POSIX ERE syntax that Go's regexp
// reads differently: inside bracket expressions a backslash is literal.
func translateERE(re string) string {
	var b strings.Builder
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch c {
		case '\\':
			b.WriteByte(c)
			if i+1 < len(re) {
				i++
				b.WriteByte(re[i])
			}
		case '[':
			j := i + 1
			if j < len(re) && re[j] == '^' {
				j++
			}
			if j < len(re) && re[j] == ']' {
				j++
			}
			for j < len(re) && re[j] != ']' {
				if re[j] == '[' && j+1 < len(re) && (re[j+1] == ':' || re[j+1] == '.' || re[j+1] == '=') {
					end := strings.Index(re[j+2:], string(re[j+1])+"]")
					if end >= 0 {
						j += end + 4
						continue
					}
				}
				j++
			}
			if j >= len(re) {
				b.WriteString(re[i:])
				return b.String()
			}
			b.WriteString(strings.ReplaceAll(re[i:j+1], `\`, `\\`))
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// submatches returns the groups of a match as strings or null.
func submatches(s string, loc []int) []Value {
	out := make([]Value, 0, len(loc)/2-1)
	for g := 1; g < len(loc)/2; g++ {
		if loc[2*g] < 0 {
			out = append(out, Null{})
		} else {
			out = append(out, NewString(s[loc[2*g]:loc[2*g+1]]))
		}
	}
	return out
}

func primMatch(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	re := ev.compileRegex(ev.forceStringNoCtx(args[0], pos), pos, true)
	s := ev.forceString(args[1], pos)
	loc := re.FindStringSubmatchIndex(s.s)
	if loc == nil {
		return Null{}
	}
	return NewList(submatches(s.s, loc))
}

func primSplit(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	re := ev.compileRegex(ev.forceStringNoCtx(args[0], pos), pos, false)
	s := ev.forceString(args[1], pos)
	var out []Value
	prev := 0
	for p := 0; p <= len(s.s); {
		loc := re.FindStringSubmatchIndex(s.s[p:])
		if loc == nil {
			break
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += p
			}
		}
		out = append(out, NewString(s.s[prev:loc[0]]), NewList(submatches(s.s, loc)))
		prev = loc[1]
		if loc[1] > loc[0] {
			p = loc[1]
		} else {
			p = loc[1] + 1
		}
	}
	out = append(out, NewString(s.s[prev:]))
	return NewList(out)
}

// versionComponent returns the next component of a version string and
// the rest, as Nix's compareVersions splits them.
func versionComponent(s string) (string, string) {
	for len(s) > 0 && (s[0] == '.' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return "", ""
	}
	i := 0
	if isDigitByte(s[0]) {
		for i < len(s) && isDigitByte(s[i]) {
			i++
		}
	} else {
		for i < len(s) && !isDigitByte(s[i]) && s[i] != '.' && s[i] != '-' {
			i++
		}
	}
	return s[:i], s[i:]
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

func componentLess(a, b string) bool {
	na, ea := strconv.ParseInt(a, 10, 32)
	nb, eb := strconv.ParseInt(b, 10, 32)
	switch {
	case ea == nil && eb == nil:
		return na < nb
	case a == "" && eb == nil:
		return true
	case a == "pre" && b != "pre":
		return true
	case b == "pre":
		return false
	case eb == nil:
		return true
	case ea == nil:
		return false
	}
	return a < b
}

// CompareVersions compares version strings as builtins.compareVersions.
func CompareVersions(a, b string) int {
	for a != "" || b != "" {
		var ca, cb string
		ca, a = versionComponent(a)
		cb, b = versionComponent(b)
		if componentLess(ca, cb) {
			return -1
		}
		if componentLess(cb, ca) {
			return 1
		}
	}
	return 0
}

func primSplitVersion(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	s := ev.forceStringNoCtx(args[0], pos)
	var out []Value
	for {
		var c string
		c, s = versionComponent(s)
		if c == "" {
			break
		}
		out = append(out, NewString(c))
	}
	return NewList(out)
}

func primCompareVersions(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return Int(CompareVersions(ev.forceStringNoCtx(args[0], pos), ev.forceStringNoCtx(args[1], pos)))
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// parseDrvName splits "name-version" at the first dash not followed by a
// letter.
func parseDrvName(s string) (name, version string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && i+1 < len(s) && !isAlpha(s[i+1]) {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

func primParseDrvName(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	name, version := parseDrvName(ev.coerceToString(pos, args[0], &cb, false, false))
	return NewAttrs([]Attr{
		{Name: symName, Value: NewString(name)},
		{Name: Intern("version"), Value: NewString(version)},
	})
}

func primBaseNameOf(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	s := ev.coerceToString(pos, args[0], &cb, false, false)
	return NewStringContext(baseName(s), cb.ctx)
}

func primDirOf(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	v := ev.force(args[0])
	if p, ok := v.(Path); ok {
		return Path(dirName(string(p)))
	}
	var cb contextBuilder
	s := ev.coerceToString(pos, v, &cb, false, false)
	return NewStringContext(dirName(s), cb.ctx)
}

// newHash returns a hash for a Nix algorithm name.
func (ev *Evaluator) newHash(name string, pos syntax.Pos) (hash.Hash, nixhash.Algo) {
	switch name {
	case "md5":
		return md5.New(), nixhash.MD5
	case "sha1":
		return sha1.New(), nixhash.SHA1
	case "sha256":
		return sha256.New(), nixhash.SHA256
	case "sha512":
		return sha512.New(), nixhash.SHA512
	}
	ev.errorf(ErrEval, pos, "unknown hash algorithm '%s', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'", name)
	return nil, 0
}

func primHashString(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	h, _ := ev.newHash(ev.forceStringNoCtx(args[0], pos), pos)
	h.Write([]byte(ev.forceString(args[1], pos).s))
	return NewString(hex.EncodeToString(h.Sum(nil)))
}

func primConvertHash(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	get := func(name string, required bool) string {
		v, ok := a.Get(Intern(name))
		if !ok {
			if required {
				ev.errorf(ErrEval, pos, "attribute '%s' missing", name)
			}
			return ""
		}
		return ev.forceStringNoCtx(v, pos)
	}
	hs := get("hash", true)
	var algo nixhash.Algo
	if name := get("hashAlgo", false); name != "" {
		var err error
		if algo, err = nixhash.ParseAlgo(name); err != nil {
			ev.errorf(ErrEval, pos, "unknown hash algorithm '%s'", name)
		}
	}
	h, err := nixhash.Parse(hs, algo)
	if err != nil {
		ev.errorf(ErrEval, pos, "invalid hash '%s': %v", hs, err)
	}
	switch f := get("toHashFormat", true); f {
	case "base16":
		return NewString(h.Hex())
	case "nix32", "base32":
		return NewString(nixbase32.EncodeToString(h.Digest))
	case "base64":
		return NewString(h.Base64())
	case "sri":
		return NewString(h.SRI())
	default:
		ev.errorf(ErrEval, pos, "unknown hash format '%s', expect 'base16', 'base32', 'nix32', 'base64' or 'sri'", f)
	}
	return nil
}
