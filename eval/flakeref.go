package eval

// This file defines builtins.parseFlakeRef and builtins.flakeRefToString,
// pure conversions between flake reference strings and attribute sets.

import (
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
)

var revRegex = regexp.MustCompile(`^[0-9a-f]{40}$`)

type flakeRefError string

func (e flakeRefError) Error() string { return string(e) }

func errBadFlakeRef(s string) error {
	return flakeRefError("'" + s + "' is not a valid flake reference")
}

// parseFlakeRef parses a flake reference into its attributes.
func parseFlakeRef(s string) (map[string]string, error) {
	base, query, _ := strings.Cut(s, "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		return nil, errBadFlakeRef(s)
	}
	out := map[string]string{}
	for k, v := range params {
		out[k] = v[len(v)-1]
	}
	scheme, rest, hasScheme := strings.Cut(base, ":")
	switch {
	case !hasScheme && strings.HasPrefix(base, "/"), scheme == "path":
		out["type"] = "path"
		out["path"] = strings.TrimPrefix(base, "path:")
	case scheme == "github" || scheme == "gitlab" || scheme == "sourcehut":
		parts := strings.Split(rest, "/")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, errBadFlakeRef(s)
		}
		out["type"], out["owner"], out["repo"] = scheme, parts[0], parts[1]
		if len(parts) == 3 {
			if revRegex.MatchString(parts[2]) {
				out["rev"] = parts[2]
			} else {
				out["ref"] = parts[2]
			}
		}
	case !hasScheme || scheme == "flake":
		id := base
		if scheme == "flake" {
			id = rest
		}
		parts := strings.Split(id, "/")
		out["type"], out["id"] = "indirect", parts[0]
		for _, p := range parts[1:] {
			if revRegex.MatchString(p) {
				out["rev"] = p
			} else {
				out["ref"] = p
			}
		}
	case strings.HasPrefix(scheme, "git+"):
		out["type"] = "git"
		out["url"] = strings.TrimPrefix(base, "git+")
	case strings.HasPrefix(scheme, "tarball+"):
		out["type"] = "tarball"
		out["url"] = strings.TrimPrefix(base, "tarball+")
	case strings.HasPrefix(scheme, "file+"):
		out["type"] = "file"
		out["url"] = strings.TrimPrefix(base, "file+")
	case scheme == "http" || scheme == "https" || scheme == "file":
		out["type"] = "file"
		for _, ext := range []string{".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".zip", ".tar"} {
			if strings.HasSuffix(base, ext) {
				out["type"] = "tarball"
			}
		}
		out["url"] = base
	default:
		return nil, errBadFlakeRef(s)
	}
	return out, nil
}

// flakeRefToString is parseFlakeRef's inverse.
func flakeRefToString(attrs map[string]string) (string, error) {
	var base string
	skip := map[string]bool{"type": true}
	switch t := attrs["type"]; t {
	case "github", "gitlab", "sourcehut":
		base = t + ":" + attrs["owner"] + "/" + attrs["repo"]
		if r := attrs["rev"]; r != "" {
			base += "/" + r
		} else if r := attrs["ref"]; r != "" {
			base += "/" + r
		}
		skip["owner"], skip["repo"], skip["rev"], skip["ref"] = true, true, true, true
	case "path":
		base, skip["path"] = "path:"+attrs["path"], true
	case "indirect":
		base = "flake:" + attrs["id"]
		if r := attrs["ref"]; r != "" {
			base += "/" + r
		}
		if r := attrs["rev"]; r != "" {
			base += "/" + r
		}
		skip["id"], skip["rev"], skip["ref"] = true, true, true
	case "git":
		base, skip["url"] = "git+"+attrs["url"], true
	case "tarball", "file":
		base, skip["url"] = t+"+"+attrs["url"], true
	default:
		return "", flakeRefError("unsupported flake reference type '" + t + "'")
	}
	var keys []string
	for k := range attrs {
		if !skip[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var q []string
	for _, k := range keys {
		q = append(q, url.QueryEscape(k)+"="+url.QueryEscape(attrs[k]))
	}
	if len(q) > 0 {
		base += "?" + strings.Join(q, "&")
	}
	return base, nil
}

func primParseFlakeRef(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	s := ev.forceStringNoCtx(args[0], pos)
	m, err := parseFlakeRef(s)
	if err != nil {
		ev.errorf(ErrEval, pos, "%v", err)
	}
	out := make([]Attr, 0, len(m))
	for k, v := range m {
		var val Value = NewString(v)
		if k == "revCount" || k == "lastModified" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				val = Int(n)
			}
		}
		out = append(out, Attr{Name: Intern(k), Value: val})
	}
	return NewAttrs(out)
}

func primFlakeRefToString(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	m := map[string]string{}
	for _, at := range a.attrs {
		switch v := ev.force(at.Value).(type) {
		case *String:
			m[at.Name.String()] = v.s
		case Int:
			if v < 0 {
				ev.errorf(ErrEval, at.Pos, "negative value given for flake ref attr %s: %d", at.Name, v)
			}
			m[at.Name.String()] = strconv.FormatInt(int64(v), 10)
		case Bool:
			m[at.Name.String()] = map[Bool]string{true: "1", false: "0"}[v]
		default:
			ev.errorf(ErrEval, at.Pos, "flake reference attribute sets may only contain integers, Booleans, and strings, but attribute '%s' is %s", at.Name, showType(v))
		}
	}
	s, err := flakeRefToString(m)
	if err != nil {
		ev.errorf(ErrEval, pos, "%v", err)
	}
	return NewString(s)
}
