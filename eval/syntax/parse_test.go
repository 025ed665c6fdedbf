package syntax

import (
	"strings"
	"testing"
)

func parseString(src string) (Node, error) {
	n, _, err := Parse(NewFileSet(), "t.nix", []byte(src), Options{BasePath: "/base", Home: "/home/u"})
	return n, err
}

// TestParseValid checks the tree of valid expressions through Format,
// which prints them fully parenthesised as nix-instantiate --parse does.
func TestParseValid(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1 + 2 * 3", "(1 + (__mul 2 3))"},
		{"1 - 2 - 3", "(__sub (__sub 1 2) 3)"},
		{"a ++ b ++ c", "(a ++ (b ++ c))"},
		{"a // b // c", "(a // (b // c))"},
		{"a -> b -> c", "(a -> (b -> c))"},
		{"!a == b", "((! a) == b)"},
		{"!a + b", "(! (a + b))"},
		{"-a + b", "((__sub 0 a) + b)"},
		{"-f x", "(__sub 0 (f x))"},
		{"a ? b.c || d", "(((a) ? b.c) || d)"},
		{"a < b", "(__lessThan a b)"},
		{"a >= b", "(! (__lessThan a b))"},
		{"a > b", "(__lessThan b a)"},
		{"a <= b", "(! (__lessThan b a))"},
		{"f a b.c d", "(f a (b).c d)"},
		{"a.b.c or d", "(a).b.c or (d)"},
		{"a.${b}.\"c\".\"d${e}\"", `(a)."${b}".c."${("d" + e)}"`},
		{"map or []", "(map or [ ])"},
		{"x: y: x", "(x: (y: x))"},
		{"{ a, b ? 1, ... }@args: a", "({ a, b ? 1, ... } @ args: a)"},
		{"args@{ a }: a", "({ a } @ args: a)"},
		{"{}: 1", "({  }: 1)"},
		{"{ a.b = 1; a.c = 2; }", "{ a = { b = 1; c = 2; }; }"},
		{"rec { inherit a; inherit (b) c d; e = 1; }", "rec { inherit a; inherit (b) c d; e = 1; }"},
		{"let a = 1; in a", "(let a = 1; in a)"},
		{"let { body = 1; }", "(rec { body = 1; }).body"},
		{"with a; b", "(with a; b)"},
		{"assert a; b", "assert a; b"},
		{"if a then b else c", "(if a then b else c)"},
		{`"a${b}c"`, `("a" + b + "c")`},
		{`"${b}"`, `(b)`},
		{`""`, `""`},
		{"''\n  a\n    b\n  ''", `"a\n  b\n"`},
		{"''  a ${b}\n  c''", `("a " + b + "\nc")`},
		{"''a''\\\nb''", `"a\nb"`},
		{"./x/../y", "/base/y"},
		{"~/foo", "/home/u/foo"},
		{"./a${b}", "(/base/a + b)"},
		{"<nixpkgs>", `(__findFile __nixPath "nixpkgs")`},
		{"http://x.org/y", `"http://x.org/y"`},
		{"[ 1 2.5 a.b ]", "[ (1) (2.5) ((a).b) ]"},
		{"__curPos", "__curPos"},
		{"{ ${a} = 1; }", `{ "${a}" = 1; }`},
	}
	for _, tt := range tests {
		n, err := parseString(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := Format(n); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

// TestParseInvalid checks errors and their positions.
func TestParseInvalid(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1 +", "t.nix:1:4: syntax error, unexpected end of file"},
		{"a == b == c", "t.nix:1:8: syntax error, unexpected '=='"},
		{"a < b > c", "t.nix:1:7: syntax error, unexpected '>'"},
		{"a ? b ? c", "t.nix:1:7: syntax error, unexpected '?'"},
		{"{ a = 1; a = 2; }", "t.nix:1:10: attribute 'a' already defined at t.nix:1:3"},
		{"{ a.b = 1; a = 2; }", "t.nix:1:12: attribute 'a' already defined at t.nix:1:3"},
		{"{ inherit a; a = 1; }", "t.nix:1:14: attribute 'a' already defined at t.nix:1:11"},
		{"{ x, x }: 1", "t.nix:1:6: duplicate formal function argument 'x'"},
		{"let ${a} = 1; in 1", "t.nix:1:5: dynamic attributes not allowed in let"},
		{"{ inherit ${a}; }", "t.nix:1:11: dynamic attributes not allowed in inherit"},
		{`"abc`, "t.nix:1:5: syntax error, unexpected end of file, expecting '\"'"},
		{"1 + if a then b else c", "t.nix:1:5: syntax error, unexpected 'if'"},
		{"[ x: x ]", "t.nix:1:4: syntax error, unexpected ':', expecting ']'"},
		{"a.if", "t.nix:1:3: syntax error, unexpected 'if', expecting identifier or 'or' or '${' or '\"'"},
		{"{ ..., a }: 1", "t.nix:1:6: syntax error, unexpected ',', expecting '}'"},
		{"/a/b/ x", "t.nix:1:6: path has a trailing slash"},
		{"123 é", "t.nix:1:5: syntax error, unexpected invalid token, expecting end of file"},
	}
	for _, tt := range tests {
		_, err := parseString(tt.src)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %s", tt.src, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q): got error\n %v\nwant\n %s", tt.src, err, tt.want)
		}
	}
}

// TestParseDepthLimit checks that deep nesting is an error, not a crash.
func TestParseDepthLimit(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000),
		strings.Repeat("[", 100000),
		strings.Repeat("x: ", 100000) + "1",
		strings.Repeat("1 ++ ", 100000) + "1",
		strings.Repeat("\"${", 100000),
		strings.Repeat("a.b or ", 100000) + "1",
	} {
		_, err := parseString(src)
		if err == nil || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("Parse(%.20q…): got %v, want a nesting error", src, err)
		}
	}
	// Long flat constructs are fine.
	if _, err := parseString("[" + strings.Repeat(" 1", 100000) + "]"); err != nil {
		t.Errorf("long list: %v", err)
	}
	if _, err := parseString(strings.Repeat("1 + ", 100000) + "1"); err != nil {
		t.Errorf("long left-associative chain: %v", err)
	}
}

func TestPositions(t *testing.T) {
	fset := NewFileSet()
	n, _, err := Parse(fset, "p.nix", []byte("let\n  x = { a = 1; };\nin x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	def := n.(*Let).Binds.Attrs[0]
	if got := fset.Position(def.P).String(); got != "p.nix:2:3" {
		t.Errorf("position of x = %s, want p.nix:2:3", got)
	}
	inner := def.Value.(*Attrs).Attrs[0]
	if got := fset.Position(inner.P).String(); got != "p.nix:2:9" {
		t.Errorf("position of a = %s, want p.nix:2:9", got)
	}
}
