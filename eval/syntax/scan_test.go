package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// scanAll returns the tokens of src as "KIND" or "KIND:text" strings.
func scanAll(t *testing.T, src string) (toks []string, err error) {
	t.Helper()
	f := NewFileSet().AddFile("test.nix", []byte(src))
	s := newScanner(f)
	defer func() {
		if r := recover(); r != nil {
			err = r.(*Error)
		}
	}()
	for i := 0; i < 1000; i++ {
		tk := s.next()
		if tk.tok == EOF {
			return toks, nil
		}
		str := tk.tok.String()
		switch tk.tok {
		case ID, PATH, HPATH, SPATH, URI, STR, IND_STR:
			str = fmt.Sprintf("%s:%s", tokenShort[tk.tok], tk.text)
		case INT:
			str = fmt.Sprintf("INT:%d", tk.ival)
		case FLOAT:
			str = fmt.Sprintf("FLOAT:%g", tk.fval)
		}
		toks = append(toks, str)
	}
	t.Fatalf("scanner of %q does not reach EOF", src)
	return nil, nil
}

var tokenShort = map[Token]string{ID: "ID", PATH: "PATH", HPATH: "HPATH", SPATH: "SPATH", URI: "URI", STR: "STR", IND_STR: "IND"}

func TestScan(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a b", "ID:a ID:b"},
		{"if iffy", "'if' ID:iffy"},
		{"x'' a-b", "ID:x'' ID:a-b"},
		{"123 1.5 .5 1. 1.5e3 01.5", "INT:123 FLOAT:1.5 FLOAT:0.5 FLOAT:1 FLOAT:1500 INT:1 FLOAT:0.5"},
		{"a.b", "ID:a '.' ID:b"},
		{"1/2 a//b", "PATH:1/2 end of path ID:a '//' ID:b"},
		{"./a/b ~/c <nixpkgs/lib>", "PATH:./a/b end of path HPATH:~/c end of path SPATH:nixpkgs/lib"},
		{"a < b", "ID:a '<' ID:b"},
		{"x:y http://a.b/c?d=e", "URI:x:y URI:http://a.b/c?d=e"},
		{"x: y", "ID:x ':' ID:y"},
		{"... == != <= >= && || -> ++", "'...' '==' '!=' '<=' '>=' '&&' '||' '->' '++'"},
		{"# comment\n a /* block */ b", "ID:a ID:b"},
		{`"a\nb\${c}${d}e"`, `'"' STR:a` + "\n" + `b${c} '${' ID:d '}' STR:e '"'`},
		{`"$$x$"`, `'"' STR:$$x$ '"'`},
		{`"a${ {} }b"`, `'"' STR:a '${' '{' '}' '}' STR:b '"'`},
		{"''\n  a\n  ''$ ''' ''\\n ${x}''", "start of an indented string IND:  a\n   IND:$ IND:  IND:'' IND:  IND:\n IND:  '${' ID:x '}' end of an indented string"},
		{"./a${b}/c d", "PATH:./a '${' ID:b '}' STR:/c end of path ID:d"},
		{"./${b}", "PATH:./ '${' ID:b '}' end of path"},
		{"\"\r\n\"", "'\"' STR:\n '\"'"},
	}
	for _, tt := range tests {
		got, err := scanAll(t, tt.src)
		if err != nil {
			t.Errorf("scan(%q): %v", tt.src, err)
			continue
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("scan(%q)\n got %s\nwant %s", tt.src, g, tt.want)
		}
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"99999999999999999999", "test.nix:1:1: invalid integer '99999999999999999999'"},
		{"./a/ b", "test.nix:1:5: path has a trailing slash"},
	}
	for _, tt := range tests {
		_, err := scanAll(t, tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("scan(%q): got error %v, want %s", tt.src, err, tt.want)
		}
	}
}
