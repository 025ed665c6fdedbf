package derivation

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/storepath"
)

// graph is a set of derivations built in a test, loadable by drv path.
type graph map[string]*Derivation

func (g graph) load(p string) (*Derivation, error) {
	d, ok := g[p]
	if !ok {
		return nil, fmt.Errorf("no derivation %s", p)
	}
	return d, nil
}

// add fills d's outputs the way the evaluator would, records it and
// returns its drv path.
func (g graph) add(t *testing.T, d *Derivation) string {
	t.Helper()
	if err := d.FillOutputs(g.load, nil); err != nil {
		t.Fatalf("FillOutputs(%s): %v", d.Name, err)
	}
	p, err := d.DrvPath()
	if err != nil {
		t.Fatalf("DrvPath(%s): %v", d.Name, err)
	}
	g[string(p)] = d
	return string(p)
}

// simple returns a derivation like `derivation { name; system =
// "x86_64-linux"; builder = "/bin/sh"; args; outputs; } // extra`, with
// output paths still blank.
func simple(name string, args []string, outputs []string, extra map[string]string) *Derivation {
	d := &Derivation{
		Name: name, Platform: "x86_64-linux", Builder: "/bin/sh", Args: args,
		Outputs:   map[string]Output{},
		InputDrvs: map[string][]string{},
		Env:       map[string]string{"builder": "/bin/sh", "name": name, "system": "x86_64-linux"},
	}
	if len(outputs) == 0 {
		outputs = []string{"out"}
	}
	for _, o := range outputs {
		d.Outputs[o] = Output{}
		d.Env[o] = ""
	}
	if len(outputs) > 1 || outputs[0] != "out" {
		d.Env["outputs"] = strings.Join(outputs, " ")
	}
	for k, v := range extra {
		d.Env[k] = v
	}
	return d
}

const zero64 = "0000000000000000000000000000000000000000000000000000000000000000"

// fixed returns a fixed-output derivation with an all-zero sha256.
func fixed(name string, recursive bool) *Derivation {
	extra := map[string]string{"outputHash": strings.Repeat("0", 52), "outputHashAlgo": "sha256"}
	algo := "sha256"
	if recursive {
		extra["outputHashMode"] = "recursive"
		algo = "r:sha256"
	}
	d := simple(name, nil, nil, extra)
	d.Outputs["out"] = Output{HashAlgo: algo, Hash: zero64}
	return d
}

// TestAppendixA checks the vectors of NIXOS.md Appendix A, which were
// verified against Nix 2.8.
func TestAppendixA(t *testing.T) {
	g := graph{}
	x := simple("x", []string{"-c", "echo"}, []string{"out", "dev"}, nil)
	xPath := g.add(t, x)
	wantX := `Derive([("dev","/nix/store/lapimzc5hnxm3l48jkc4rsa24bwlgpc0-x-dev","",""),("out","/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x","","")],[],[],"x86_64-linux","/bin/sh",["-c","echo"],[("builder","/bin/sh"),("dev","/nix/store/lapimzc5hnxm3l48jkc4rsa24bwlgpc0-x-dev"),("name","x"),("out","/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x"),("outputs","out dev"),("system","x86_64-linux")])`
	if got := string(x.ATerm()); got != wantX {
		t.Errorf("ATerm(x) =\n%s\nwant\n%s", got, wantX)
	}
	if want := "/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv"; xPath != want {
		t.Errorf("DrvPath(x) = %s, want %s", xPath, want)
	}
	xh, err := HashModulo(x, g.load, nil)
	if want := "238649747c0d2a71e84d0d915878c424324edb0048e608a2a7247fb8d582d68d"; err != nil || hex.EncodeToString(xh) != want {
		t.Errorf("HashModulo(x) = %x, %v, want %s", xh, err, want)
	}

	z := simple("z", []string{"-c", "echo " + x.Outputs["dev"].Path}, nil, nil)
	z.InputDrvs[xPath] = []string{"dev"}
	zPath := g.add(t, z)
	checkPaths(t, z, zPath, "/nix/store/nrlcyr019dhp0n9pdja60w2n9jh7c2cx-z.drv", map[string]string{"out": "/nix/store/7yclijk2dnzxjdw35rsx4pq4i5csxxzc-z"})

	fod, flat := fixed("fod", true), fixed("flat", false)
	fodPath, flatPath := g.add(t, fod), g.add(t, flat)
	checkPaths(t, fod, fodPath, "/nix/store/06mmf171g6pckid8fx5bx594q3cd4fpb-fod.drv", map[string]string{"out": "/nix/store/h22nhabdi1cyg37slqlhqqmkaish1sm7-fod"})
	checkPaths(t, flat, flatPath, "/nix/store/y700f9daig9d1lkmaxdnhz2iyaax8rh1-flat.drv", map[string]string{"out": "/nix/store/knhz80641ahd84ddja70ih8aiayvm51q-flat"})
	for _, tt := range []struct {
		d    *Derivation
		want string
	}{
		{fod, "fixed:out:r:sha256:" + zero64 + ":/nix/store/h22nhabdi1cyg37slqlhqqmkaish1sm7-fod"},
		{flat, "fixed:out:sha256:" + zero64 + ":/nix/store/knhz80641ahd84ddja70ih8aiayvm51q-flat"},
	} {
		want := sha256.Sum256([]byte(tt.want))
		if got, err := HashModulo(tt.d, nil, nil); err != nil || string(got) != string(want[:]) {
			t.Errorf("HashModulo(%s) = %x, %v, want sha256(%q)", tt.d.Name, got, err, tt.want)
		}
	}

	y := simple("y", []string{"-c", "echo " + fod.Outputs["out"].Path + " " + flat.Outputs["out"].Path}, nil, nil)
	y.InputDrvs[fodPath] = []string{"out"}
	y.InputDrvs[flatPath] = []string{"out"}
	yPath := g.add(t, y)
	checkPaths(t, y, yPath, "/nix/store/58vd092pbcv8a5s5h3d3qgfxxr3w48a1-y.drv", map[string]string{"out": "/nix/store/sqi48sgkx81r9vv49j6kdskk8nf89apy-y"})
}

func checkPaths(t *testing.T, d *Derivation, drvPath, wantDrv string, wantOut map[string]string) {
	t.Helper()
	if drvPath != wantDrv {
		t.Errorf("DrvPath(%s) = %s, want %s", d.Name, drvPath, wantDrv)
	}
	for name, want := range wantOut {
		if got := d.Outputs[name].Path; got != want {
			t.Errorf("%s output %s = %s, want %s", d.Name, name, got, want)
		}
		if got := d.Env[name]; got != want {
			t.Errorf("%s env %s = %s, want %s", d.Name, name, got, want)
		}
	}
}

// TestModuloSortsByHash checks that replaced inputs are ordered by their
// hex hash, not by drv path: fod's path sorts first, flat's hash does.
func TestModuloSortsByHash(t *testing.T) {
	g := graph{}
	fodPath, flatPath := g.add(t, fixed("fod", true)), g.add(t, fixed("flat", false))
	if !(fodPath < flatPath) {
		t.Fatalf("test premise: %s should sort before %s", fodPath, flatPath)
	}
	y := simple("y", nil, nil, nil)
	y.InputDrvs[fodPath] = []string{"out"}
	y.InputDrvs[flatPath] = []string{"out"}
	if err := y.FillOutputs(g.load, nil); err != nil {
		t.Fatal(err)
	}
	hFod, _ := HashModulo(g[fodPath], nil, nil)
	hFlat, _ := HashModulo(g[flatPath], nil, nil)
	inputs := map[string][]string{hex.EncodeToString(hFod): {"out"}, hex.EncodeToString(hFlat): {"out"}}
	aterm := string(y.print(true, inputs))
	if i, j := strings.Index(aterm, hex.EncodeToString(hFlat)), strings.Index(aterm, hex.EncodeToString(hFod)); i < 0 || j < 0 || i > j {
		t.Errorf("modulo ATerm does not list flat's hash (%x) before fod's (%x):\n%s", hFlat, hFod, aterm)
	}
	want := sha256.Sum256([]byte(aterm))
	p, _ := storepath.MakeOutput("out", want[:], "y")
	if got := y.Outputs["out"].Path; got != string(p) {
		t.Errorf("output = %s, want %s", got, p)
	}
}

func TestHashModuloCacheAndErrors(t *testing.T) {
	g := graph{}
	xPath := g.add(t, simple("x", nil, nil, nil))
	loads := 0
	counting := func(p string) (*Derivation, error) { loads++; return g.load(p) }
	cache := map[string][]byte{}
	for i := 0; i < 3; i++ {
		z := simple(fmt.Sprintf("z%d", i), nil, nil, nil)
		z.InputDrvs[xPath] = []string{"out"}
		if err := z.FillOutputs(counting, cache); err != nil {
			t.Fatal(err)
		}
	}
	if loads != 1 {
		t.Errorf("input loaded %d times with a shared cache, want 1", loads)
	}

	missing := simple("m", nil, nil, nil)
	missing.InputDrvs["/nix/store/00000000000000000000000000000000-gone.drv"] = []string{"out"}
	err := missing.FillOutputs(g.load, nil)
	if err == nil || !strings.Contains(err.Error(), "gone.drv") {
		t.Errorf("FillOutputs with a missing input: error %v, want one naming gone.drv", err)
	}

	for _, tt := range []struct {
		name string
		edit func(d *Derivation)
		want string
	}{
		{"no name", func(d *Derivation) { d.Name = "" }, "no name"},
		{"no outputs", func(d *Derivation) { d.Outputs = map[string]Output{} }, "no outputs"},
		{"floating", func(d *Derivation) { d.Outputs["out"] = Output{HashAlgo: "r:sha256"} }, "not supported"},
		{"two fixed", func(d *Derivation) {
			d.Outputs["out"] = Output{HashAlgo: "sha256", Hash: zero64}
			d.Outputs["b"] = Output{HashAlgo: "sha256", Hash: zero64}
		}, "exactly one output"},
		{"mixed", func(d *Derivation) {
			d.Outputs["out"] = Output{HashAlgo: "sha256", Hash: zero64}
			d.Outputs["b"] = Output{}
		}, "exactly one output"},
		{"bad algo", func(d *Derivation) { d.Outputs["out"] = Output{HashAlgo: "md4", Hash: zero64} }, "md4"},
		{"bad name", func(d *Derivation) { d.Name = "a/b" }, "illegal character"},
	} {
		d := simple("e", nil, nil, nil)
		tt.edit(d)
		if err := d.FillOutputs(nil, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: FillOutputs error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestFixedOutputPaths(t *testing.T) {
	sha1 := "0000000000000000000000000000000000000000"
	tests := []struct {
		algo, hash string
		want       func() (storepath.Path, error)
	}{
		{"r:sha256", zero64, func() (storepath.Path, error) {
			return storepath.Make("source", make([]byte, 32), "f"), nil
		}},
		{"sha1", sha1, func() (storepath.Path, error) {
			inner := sha256.Sum256([]byte("fixed:out:sha1:" + sha1 + ":"))
			return storepath.Make("output:out", inner[:], "f"), nil
		}},
		{"r:sha1", sha1, func() (storepath.Path, error) {
			inner := sha256.Sum256([]byte("fixed:out:r:sha1:" + sha1 + ":"))
			return storepath.Make("output:out", inner[:], "f"), nil
		}},
		{"text:sha256", zero64, func() (storepath.Path, error) {
			return storepath.MakeText("f", make([]byte, 32), nil)
		}},
	}
	for _, tt := range tests {
		d := simple("f", nil, nil, nil)
		d.Outputs["out"] = Output{HashAlgo: tt.algo, Hash: tt.hash}
		want, _ := tt.want()
		if err := d.FillOutputs(nil, nil); err != nil || d.Outputs["out"].Path != string(want) {
			t.Errorf("%s: output %s, %v, want %s", tt.algo, d.Outputs["out"].Path, err, want)
		}
		if err := d.CheckOutputs(nil, nil); err != nil {
			t.Errorf("%s: CheckOutputs after FillOutputs: %v", tt.algo, err)
		}
	}
}

func TestCheckOutputs(t *testing.T) {
	d := simple("x", nil, []string{"out", "dev"}, nil)
	if err := d.FillOutputs(nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := d.CheckOutputs(nil, nil); err != nil {
		t.Errorf("CheckOutputs: %v", err)
	}
	bad := d.Clone()
	bad.Env["dev"] = "/nix/store/00000000000000000000000000000000-x-dev"
	if err := bad.CheckOutputs(nil, nil); err == nil {
		t.Errorf("CheckOutputs accepted a wrong env entry")
	}
	bad = d.Clone()
	bad.Outputs["out"] = Output{Path: "/nix/store/00000000000000000000000000000000-x"}
	if err := bad.CheckOutputs(nil, nil); err == nil {
		t.Errorf("CheckOutputs accepted a wrong output path")
	}
}

// TestFillOutputsAddsEnv checks that a derivation lacking the env entries
// for its outputs hashes as if they were present and empty.
func TestFillOutputsAddsEnv(t *testing.T) {
	with := simple("x", nil, []string{"out", "dev"}, nil)
	without := with.Clone()
	delete(without.Env, "dev")
	delete(without.Env, "out")
	if err := with.FillOutputs(nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := without.FillOutputs(nil, nil); err != nil {
		t.Fatal(err)
	}
	if string(with.ATerm()) != string(without.ATerm()) {
		t.Errorf("ATerms differ:\n%s\n%s", with.ATerm(), without.ATerm())
	}
}

func TestDrvPathReferences(t *testing.T) {
	d := simple("r", nil, nil, nil)
	src := "/nix/store/2qrhg0a6v2d6nsxncds6y3pc4l36n9xj-f"
	drv := "/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv"
	d.InputSrcs = []string{src, src}
	d.InputDrvs[drv] = []string{"dev", "out", "dev"}
	got := d.References()
	if len(got) != 2 || got[0] != storepath.Path(src) || got[1] != storepath.Path(drv) {
		t.Errorf("References = %v, want [%s %s]", got, src, drv)
	}
	p, err := d.DrvPath()
	sum := sha256.Sum256(d.ATerm())
	want, _ := storepath.MakeText("r.drv", sum[:], got)
	if err != nil || p != want {
		t.Errorf("DrvPath = %s, %v, want %s", p, err, want)
	}
	if a := string(d.ATerm()); !strings.Contains(a, `[("`+drv+`",["dev","out"])],["`+src+`"]`) {
		t.Errorf("ATerm does not print inputs as sorted sets: %s", a)
	}
}

func TestEscaping(t *testing.T) {
	d := &Derivation{
		Outputs:  map[string]Output{"out": {Path: "/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x"}},
		Platform: "x86_64-linux", Builder: "a\"b\\c", Args: []string{"l1\nl2\r\tend", "é✓\x00\x01"},
		Env: map[string]string{"k\"": "v\\"},
	}
	want := `Derive([("out","/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x","","")],[],[],"x86_64-linux","a\"b\\c",["l1\nl2\r\tend","é✓` + "\x00\x01" + `"],[("k\"","v\\")])`
	got := d.ATerm()
	if string(got) != want {
		t.Errorf("ATerm =\n%s\nwant\n%s", got, want)
	}
	back, err := Parse(got)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if back.Builder != d.Builder || back.Args[0] != d.Args[0] || back.Args[1] != d.Args[1] || back.Env["k\""] != "v\\" {
		t.Errorf("Parse(ATerm) = %+v, want %+v", back, d)
	}
}

func TestParseName(t *testing.T) {
	tests := []struct{ env, want string }{
		{`[("name","plain")]`, "plain"},
		{`[("__json","{\"name\":\"structured\",\"x\":[1]}")]`, "structured"},
		{`[("__json","not json")]`, ""},
		{`[]`, ""},
	}
	for _, tt := range tests {
		d, err := Parse([]byte(`Derive([],[],[],"p","b",[],` + tt.env + `)`))
		if err != nil || d.Name != tt.want {
			t.Errorf("Parse(env %s).Name = %q, %v, want %q", tt.env, d.Name, err, tt.want)
		}
	}
}

const okX = `Derive([("dev","/nix/store/lapimzc5hnxm3l48jkc4rsa24bwlgpc0-x-dev","",""),("out","/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x","","")],[],[],"x86_64-linux","/bin/sh",["-c","echo"],[("builder","/bin/sh"),("dev","/nix/store/lapimzc5hnxm3l48jkc4rsa24bwlgpc0-x-dev"),("name","x"),("out","/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x"),("outputs","out dev"),("system","x86_64-linux")])`

// Real .drv files written by Nix 2.8.
var valids = []string{
	okX,
	`Derive([("out","/nix/store/wvsmnc5sa4hm5fzlwgvqnr2gbn36y1js-t","","")],[("/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv",["dev"])],["/nix/store/2qrhg0a6v2d6nsxncds6y3pc4l36n9xj-f","/nix/store/y30fw4p2wr4gkl3ypxazy81235ksfqm0-a.nix"],"x86_64-linux","/bin/sh",[],[("builder","/bin/sh"),("d","/nix/store/lapimzc5hnxm3l48jkc4rsa24bwlgpc0-x-dev"),("name","t"),("out","/nix/store/wvsmnc5sa4hm5fzlwgvqnr2gbn36y1js-t"),("p","/nix/store/y30fw4p2wr4gkl3ypxazy81235ksfqm0-a.nix"),("src","/nix/store/2qrhg0a6v2d6nsxncds6y3pc4l36n9xj-f"),("system","x86_64-linux")])`,
	`Derive([("lib","/nix/store/p0lxkc2ls41vzqp5qhq7pj9mi6q6xaw3-s-lib","",""),("out","/nix/store/xg2cv6992p8sip7fjk3337xpcyxz90g9-s","","")],[],[],"x86_64-linux","/bin/sh",[],[("__json","{\"builder\":\"/bin/sh\",\"esc\":\"a\\\"b\\\\c\\nd\\te\\rf é\",\"foo\":[1,2,{\"a\":\"b\"}],\"name\":\"s\",\"outputs\":[\"out\",\"lib\"],\"system\":\"x86_64-linux\"}"),("lib","/nix/store/p0lxkc2ls41vzqp5qhq7pj9mi6q6xaw3-s-lib"),("out","/nix/store/xg2cv6992p8sip7fjk3337xpcyxz90g9-s")])`,
	`Derive([("out","/nix/store/h22nhabdi1cyg37slqlhqqmkaish1sm7-fod","r:sha256","0000000000000000000000000000000000000000000000000000000000000000")],[],[],"x86_64-linux","/bin/sh",[],[("builder","/bin/sh"),("name","fod"),("out","/nix/store/h22nhabdi1cyg37slqlhqqmkaish1sm7-fod"),("outputHash","0000000000000000000000000000000000000000000000000000"),("outputHashAlgo","sha256"),("outputHashMode","recursive"),("system","x86_64-linux")])`,
	// Forms Frazil cannot build but must read: floating, deferred, impure.
	`Derive([("out","","r:sha256","")],[],[],"p","b",[],[])`,
	`Derive([("out","","","")],[],[],"p","b",[],[])`,
	`Derive([("out","","r:sha256","impure")],[],[],"p","b",[],[])`,
	`Derive([],[],[],"raw
platform","",[""],[("","")])`,
}

func TestParseValid(t *testing.T) {
	for _, s := range valids {
		d, err := Parse([]byte(s))
		if err != nil {
			t.Errorf("Parse(%.60q…): %v", s, err)
			continue
		}
		if got := string(d.ATerm()); got != s {
			t.Errorf("Parse(%q).ATerm() =\n%s", s, got)
		}
	}
	d, _ := Parse([]byte(valids[1]))
	if got := d.InputDrvs["/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv"]; len(got) != 1 || got[0] != "dev" {
		t.Errorf("InputDrvs = %v", d.InputDrvs)
	}
	if d.Name != "t" || len(d.InputSrcs) != 2 || d.Env["p"] != "/nix/store/y30fw4p2wr4gkl3ypxazy81235ksfqm0-a.nix" {
		t.Errorf("Parse = %+v", d)
	}
}

// invalids are malformed ATerms; « marks where the error must be reported.
var invalids = []struct{ in, msg string }{
	{`«`, `expected "Derive("`},
	{`«DrvWithVersion("xp-dyn-drv",[],[],[],"p","b",[],[])`, "not supported"},
	{`Derive(«`, `expected "["`},
	{`Derive([("out","","","")«`, `expected "]", found end of input`},
	{`Derive([],[],[],"p","b",[],[])«x`, "trailing data"},
	{`Derive([],[],[],"p","b",[],[]«`, `expected ")"`},
	{`Derive([],[],[],"p",«b,[],[])`, `expected "\""`},
	{`Derive([],[],[],"p",«"b`, "unterminated"},
	{`Derive([],[],[],"p",«"b\`, "unterminated"},
	{`Derive([],[],[],"p","b",["«\x"],[])`, "unknown escape"},
	{`Derive([],[],[],"p","b",["a«` + "\n" + `"],[])`, `raw '\n'`},
	{`Derive([],[],[],"p","b",["a«` + "\t" + `"],[])`, `raw '\t'`},
	{`Derive([],[],[],"p«\n","b",[],[])`, "backslash in platform"},
	{`Derive([("a","","",""),«("a","","","")],[],[],"p","b",[],[])`, "not sorted or is a duplicate"},
	{`Derive([("b","","",""),«("a","","","")],[],[],"p","b",[],[])`, "not sorted or is a duplicate"},
	{`Derive([],[],[],"p","b",[],[("b",""),«("a","")])`, "not sorted"},
	{`Derive([],[],[],"p","b",[],[("a",""),«("a","")])`, "duplicate"},
	{`Derive([«("","","","")],[],[],"p","b",[],[])`, "empty output name"},
	{`Derive([«("out","/tmp/x","","")],[],[],"p","b",[],[])`, "not in the Nix store"},
	{`Derive([«("out","","md4","00")],[],[],"p","b",[],[])`, "md4"},
	{`Derive([«("out","","sha256","00")],[],[],"p","b",[],[])`, "wrong length"},
	{`Derive([],[],["/nix/store/2qrhg0a6v2d6nsxncds6y3pc4l36n9xj-f",«"/nix/store/2qrhg0a6v2d6nsxncds6y3pc4l36n9xj-f"],"p","b",[],[])`, "duplicate"},
	{`Derive([],[],[«"/nix/store/short"],"p","b",[],[])`, "input source"},
	{`Derive([],[(«"/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x",["out"])],[],"p","b",[],[])`, "does not end in .drv"},
	{`Derive([],[("/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv",["out",«"dev"])],[],"p","b",[],[])`, "not sorted"},
	{`Derive([],[("/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv",[]),(«"/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv",[])],[],"p","b",[],[])`, "duplicate"},
}

func TestParseInvalid(t *testing.T) {
	for _, tt := range invalids {
		at := strings.Index(tt.in, "«")
		in := strings.Replace(tt.in, "«", "", 1)
		_, err := Parse([]byte(in))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want a *ParseError", in, err)
			continue
		}
		if pe.Offset != at || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("Parse(%q) = %v, want offset %d and %q", in, err, at, tt.msg)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/x.drv"
	if err := os.WriteFile(file, []byte(okX), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := ReadFile(file, "/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv")
	if err != nil || d.Name != "x" {
		t.Fatalf("ReadFile = %v, %v", d, err)
	}
	if _, err := ReadFile(file, "/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x"); err == nil {
		t.Errorf("ReadFile accepted a path without .drv")
	}
	if _, err := ReadFile(dir+"/missing", "/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv"); err == nil {
		t.Errorf("ReadFile of a missing file succeeded")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range valids {
		f.Add([]byte(s))
	}
	for _, tt := range invalids {
		f.Add([]byte(strings.Replace(tt.in, "«", "", 1)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(b) {
				t.Fatalf("Parse error %v has a bad offset", err)
			}
			return
		}
		if got := d.ATerm(); string(got) != string(b) {
			t.Fatalf("round trip:\n in %q\nout %q", b, got)
		}
		d.Name = "n"
		d.DrvPath()
		d.ComputeOutputs(nil, nil)
	})
}

func BenchmarkParse(b *testing.B) {
	src := []byte(valids[1])
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFillOutputs(b *testing.B) {
	d, err := Parse([]byte(okX))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := d.FillOutputs(nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
