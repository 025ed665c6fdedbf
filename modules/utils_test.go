package modules

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// evalUtil applies a function of utils.nix to a Nix expression.
func evalUtil(t *testing.T, call string) (any, error) {
	t.Helper()
	root := repoRoot(t)
	js, err := evalJSON(t, fmt.Sprintf("let utils = import %s/modules/utils.nix { lib = import %s/lib; }; in %s", root, root, call), root)
	if err != nil {
		return nil, err
	}
	var v any
	err = json.Unmarshal([]byte(js), &v)
	return v, err
}

func TestSplitCommandLine(t *testing.T) {
	tests := []struct {
		cmd  string
		want []string
	}{
		{`/bin/web --port 80`, []string{"/bin/web", "--port", "80"}},
		{`  /bin/x   a  `, []string{"/bin/x", "a"}},
		{``, []string{}},
		{`/bin/echo "a b" 'c  d' e\ f`, []string{"/bin/echo", "a b", "c  d", "e f"}},
		{`/bin/x --opt="y z" -o'q'r`, []string{"/bin/x", "--opt=y z", "-oqr"}},
		{`/bin/echo "say \"hi\" \\ ok"`, []string{"/bin/echo", `say "hi" \ ok`}},
		{`-/bin/false`, []string{"/bin/false"}},
		{`+!/bin/x y`, []string{"/bin/x", "y"}},
		{`@/bin/busybox sh -c 'echo hi'`, []string{"/bin/busybox", "-c", "echo hi"}},
	}
	for _, tt := range tests {
		got, err := evalUtil(t, "utils.splitCommandLine "+strconv.Quote(strings.ReplaceAll(tt.cmd, "$", "\\$")))
		if err != nil {
			t.Errorf("%s: %v", tt.cmd, err)
			continue
		}
		var words []string
		for _, w := range got.([]any) {
			words = append(words, w.(string))
		}
		if words == nil {
			words = []string{}
		}
		if !reflect.DeepEqual(words, tt.want) {
			t.Errorf("splitCommandLine %s = %q, want %q", tt.cmd, words, tt.want)
		}
	}
}

func TestParseTimeSpan(t *testing.T) {
	tests := []struct {
		in   string // a Nix expression
		want float64
	}{
		{"5", 5}, {"2.5", 2.5}, {`"5"`, 5}, {`"500ms"`, 0.5}, {`"1min 30s"`, 90}, {`"1.5s"`, 1.5},
		{`"2h"`, 7200}, {`".5"`, 0.5}, {`"100us"`, 0.0001}, {`"1d"`, 86400},
	}
	for _, tt := range tests {
		got, err := evalUtil(t, `utils.parseTimeSpan "RestartSec" `+tt.in)
		if err != nil || got.(float64) != tt.want {
			t.Errorf("parseTimeSpan %s = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for in, want := range map[string]string{`"5 parsecs"`: "unknown time unit 'parsecs'", `"soon"`: "is not a time span", `[ 1 ]`: "list is not a time span"} {
		_, err := evalUtil(t, `utils.parseTimeSpan "RestartSec" `+in)
		if err == nil || !strings.Contains(err.Error(), "RestartSec: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("parseTimeSpan %s: error %v, want one containing %q", in, err, want)
		}
	}
}
