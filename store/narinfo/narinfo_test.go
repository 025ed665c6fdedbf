package narinfo

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// TestGoldenRoundTrip parses every narinfo Nix 2.8 wrote (testdata) and
// checks that writing it back gives the same bytes.
func TestGoldenRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/*.narinfo")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden narinfo files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ni, err := Parse(want, f)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := ni.Bytes(); !bytes.Equal(got, want) {
				t.Errorf("Bytes() =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestParseFields checks the parsed values of one golden file field by field.
func TestParseFields(t *testing.T) {
	data, err := os.ReadFile("testdata/1b8m03r63zqhnjf7l5wnldhh7c134ap5.narinfo")
	if err != nil {
		t.Fatal(err)
	}
	ni, err := Parse(data, "x")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"StorePath", string(ni.StorePath), "/nix/store/1b8m03r63zqhnjf7l5wnldhh7c134ap5-withself"},
		{"URL", ni.URL, "nar/1kzrpdbp4kfb5g0mmbpidhr6mg3d8r9fhgh1na7xyvhbg7ahbsgh.nar.xz"},
		{"Compression", ni.Compression, "xz"},
		{"FileHash", ni.FileHash.Nix32(), "1kzrpdbp4kfb5g0mmbpidhr6mg3d8r9fhgh1na7xyvhbg7ahbsgh"},
		{"NarHash", ni.NarHash.SRI(), "sha256-aAFG26sET+xAyrGi2Wh+y9rPvp1eBJS8PCe54Fz5bLg="},
		{"References", joinPaths(ni.References), "/nix/store/1b8m03r63zqhnjf7l5wnldhh7c134ap5-withself /nix/store/x5m38h7bdkq8bpxn77klq5by198mcgii-a.txt"},
		{"Deriver", string(ni.Deriver), "/nix/store/9lj5l3xfwk3ijmbxbg5x5xb4wa5g2xsz-withself.drv"},
		{"Sigs", strings.Join(ni.Sigs, " "), "test-1:xdXVzbNpWryWdcriMo3h1DsqWGJnDYoWoXPWG3/KR0Sg4TCZF9bTunU1AzZNfO0OH3tZWdICyAyhHMH8MGm7CA=="},
		{"CA", ni.CA.String(), ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if ni.FileSize != 280 || ni.NarSize != 600 {
		t.Errorf("FileSize, NarSize = %d, %d, want 280, 600", ni.FileSize, ni.NarSize)
	}
}

func joinPaths(ps []storepath.Path) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, " ")
}

const minimal = "StorePath: /nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir\n" +
	"URL: nar/x.nar\n" +
	"NarHash: sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k\n" +
	"NarSize: 880\n"

// TestParseLenient covers what Parse accepts beyond what Nix writes.
func TestParseLenient(t *testing.T) {
	const hex = "d35cc73ab28fee18599c45736fc96d5af2eb91faa622e87f3b95efdcc36f0dac"
	tests := []struct {
		name, text string
		check      func(*NarInfo) string
	}{
		{"no Compression means bzip2", minimal, func(ni *NarInfo) string { return ni.Compression }},
		{"base16 NarHash", strings.Replace(minimal, "1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k", hex, 1),
			func(ni *NarInfo) string { return ni.NarHash.Hex() }},
		{"SRI NarHash", strings.Replace(minimal, "sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k", "sha256-01zHOrKP7hhZnEVzb8ltWvLrkfqmIuh/O5Xv3MNvDaw=", 1),
			func(ni *NarInfo) string { return ni.NarHash.Hex() }},
		{"base64 FileHash", minimal + "FileHash: sha256:01zHOrKP7hhZnEVzb8ltWvLrkfqmIuh/O5Xv3MNvDaw=\n",
			func(ni *NarInfo) string { return ni.FileHash.Hex() }},
		{"unknown keys ignored", "Foo: bar\n" + minimal + "System: x86_64-linux\nX:\n",
			func(ni *NarInfo) string { return string(ni.StorePath) }},
		{"unknown-deriver", minimal + "Deriver: unknown-deriver\n", func(ni *NarInfo) string { return "[" + string(ni.Deriver) + "]" }},
		{"references deduplicated and sorted", minimal + "References: yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir 1b8m03r63zqhnjf7l5wnldhh7c134ap5-x  yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir\n",
			func(ni *NarInfo) string { return joinPaths(ni.References) }},
		{"empty References then non-empty", minimal + "References: \nReferences: 1b8m03r63zqhnjf7l5wnldhh7c134ap5-x\n",
			func(ni *NarInfo) string { return joinPaths(ni.References) }},
		{"repeated Sig", minimal + "Sig: b:2\nSig: a:1\n", func(ni *NarInfo) string { return strings.Join(ni.Sigs, " ") }},
	}
	wants := []string{
		"bzip2", hex, hex, hex,
		"/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir",
		"[]",
		"/nix/store/1b8m03r63zqhnjf7l5wnldhh7c134ap5-x /nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir",
		"/nix/store/1b8m03r63zqhnjf7l5wnldhh7c134ap5-x",
		"b:2 a:1",
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ni, err := Parse([]byte(tt.text), "t.narinfo")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := tt.check(ni); got != wants[i] {
				t.Errorf("got %q, want %q", got, wants[i])
			}
		})
	}
}

// TestParseErrors checks that bad files are rejected with Nix's message
// shape, naming the file, the reason and the line.
func TestParseErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"no colon", minimal + "garbage\n", "NAR info file 'f' is corrupt: expecting ':' at line 5"},
		{"no final newline", strings.TrimSuffix(minimal, "\n"), "NAR info file 'f' is corrupt: expecting '\\n' at line 4"},
		{"no space after colon", "StorePath:/nix/store/x\n", "NAR info file 'f' is corrupt: expecting ': ' after 'StorePath' at line 1"},
		{"bad hash", strings.Replace(minimal, "sha256:1b0d", "sha256:!b0d", 1), "is corrupt: bad hash at line 3"},
		{"unprefixed hash", strings.Replace(minimal, "sha256:", "", 1), "is corrupt: bad hash at line 3"},
		{"bad NarSize", strings.Replace(minimal, "880", "88O", 1), "is corrupt: invalid NarSize at line 4"},
		{"negative FileSize", minimal + "FileSize: -1\n", "is corrupt: invalid FileSize at line 5"},
		{"bad StorePath", strings.Replace(minimal, "/nix/store/yw2f", "/tmp/yw2f", 1), "is corrupt: invalid StorePath '/tmp/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir' at line 1"},
		{"bad reference", minimal + "References: not-a-path\n", "is corrupt: invalid reference 'not-a-path' at line 5"},
		{"extra References", minimal + "References: 1b8m03r63zqhnjf7l5wnldhh7c134ap5-x\nReferences: \n", "is corrupt: extra References at line 6"},
		{"bad Deriver", minimal + "Deriver: /nix/store/x.drv\n", "is corrupt: invalid Deriver '/nix/store/x.drv' at line 5"},
		{"bad CA", minimal + "CA: weird:sha256:x\n", "is corrupt: invalid CA 'weird:sha256:x' at line 5"},
		{"extra CA", minimal + "CA: text:sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k\nCA: \n", "is corrupt: extra CA at line 6"},
		{"missing StorePath", strings.SplitAfterN(minimal, "\n", 2)[1], "NAR info file 'f' is corrupt: StorePath missing"},
		{"missing NarHash", strings.Replace(minimal, "NarHash", "NarHashX", 1), "is corrupt: NarHash missing"},
		{"missing URL", strings.Replace(minimal, "URL: nar/x.nar\n", "", 1), "is corrupt: URL missing"},
		{"empty URL", strings.Replace(minimal, "URL: nar/x.nar\n", "URL: \n", 1), "is corrupt: URL missing"},
		{"zero NarSize", strings.Replace(minimal, "880", "0", 1), "is corrupt: NarSize missing or zero"},
		{"empty file", "", "is corrupt: StorePath missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ni, err := Parse([]byte(tt.text), "f")
			if err == nil {
				t.Fatalf("Parse succeeded (%+v), want error containing %q", ni, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *CorruptError", err)
			}
		})
	}
}

// TestWriteOrder builds a narinfo from values and checks the exact text,
// including unsorted inputs and the optional lines.
func TestWriteOrder(t *testing.T) {
	nh, _ := nixhash.Parse("sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k", 0)
	ca, _ := storepath.ParseContentAddress("fixed:r:sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k")
	ni := &NarInfo{
		StorePath:   "/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir",
		URL:         "nar/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-x.nar.zst",
		Compression: "zstd",
		NarHash:     nh,
		NarSize:     880,
		References:  []storepath.Path{"/nix/store/x5m38h7bdkq8bpxn77klq5by198mcgii-a.txt", "/nix/store/1b8m03r63zqhnjf7l5wnldhh7c134ap5-withself"},
		Deriver:     "/nix/store/9lj5l3xfwk3ijmbxbg5x5xb4wa5g2xsz-withself.drv",
		Sigs:        []string{"z:2", "a:1", "z:2"},
		CA:          ca,
	}
	want := `StorePath: /nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir
URL: nar/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-x.nar.zst
Compression: zstd
NarHash: sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k
NarSize: 880
References: 1b8m03r63zqhnjf7l5wnldhh7c134ap5-withself x5m38h7bdkq8bpxn77klq5by198mcgii-a.txt
Deriver: 9lj5l3xfwk3ijmbxbg5x5xb4wa5g2xsz-withself.drv
Sig: a:1
Sig: z:2
CA: fixed:r:sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k
`
	if got := ni.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	back, err := Parse([]byte(want), "w")
	if err != nil {
		t.Fatalf("Parse of written text: %v", err)
	}
	if got := back.String(); got != want {
		t.Errorf("round trip =\n%s\nwant\n%s", got, want)
	}
}

// TestFingerprint checks NIXOS.md appendix A's vector and a path with
// references given out of order.
func TestFingerprint(t *testing.T) {
	nh, _ := nixhash.Parse("sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k", 0)
	tests := []struct {
		refs []storepath.Path
		want string
	}{
		{nil, "1;/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir;sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k;880;"},
		{[]storepath.Path{"/nix/store/x5m38h7bdkq8bpxn77klq5by198mcgii-a.txt", "/nix/store/1b8m03r63zqhnjf7l5wnldhh7c134ap5-withself"},
			"1;/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir;sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k;880;" +
				"/nix/store/1b8m03r63zqhnjf7l5wnldhh7c134ap5-withself,/nix/store/x5m38h7bdkq8bpxn77klq5by198mcgii-a.txt"},
	}
	for _, tt := range tests {
		got, err := Fingerprint("/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir", nh, 880, tt.refs)
		if err != nil || got != tt.want {
			t.Errorf("Fingerprint(refs %v) = %q, %v, want %q", tt.refs, got, err, tt.want)
		}
	}
	if _, err := Fingerprint("/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir", nixhash.Sum(nixhash.SHA1, nil), 880, nil); err == nil {
		t.Error("Fingerprint with a sha1 NAR hash succeeded, want error")
	}
}

func TestCacheInfo(t *testing.T) {
	tests := []struct {
		text    string
		want    CacheInfo
		wantErr string
	}{
		{"StoreDir: /nix/store\n", CacheInfo{StoreDir: "/nix/store"}, ""},
		{"StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n", CacheInfo{"/nix/store", true, 40}, ""},
		{"no colon here\nPriority:  30 \nOther: x\nWantMassQuery: 0", CacheInfo{Priority: 30}, ""},
		{"Priority: high\n", CacheInfo{}, "cache info 'c': invalid Priority 'high' at line 1"},
	}
	for _, tt := range tests {
		got, err := ParseCacheInfo([]byte(tt.text), "c")
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseCacheInfo(%q) error = %v, want %q", tt.text, err, tt.wantErr)
			}
			continue
		}
		if err != nil || *got != tt.want {
			t.Errorf("ParseCacheInfo(%q) = %+v, %v, want %+v", tt.text, got, err, tt.want)
		}
	}
	ci := CacheInfo{WantMassQuery: true, Priority: 30}
	if got, want := string(ci.Bytes()), "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n"; got != want {
		t.Errorf("Bytes() = %q, want %q", got, want)
	}
	if err := (&CacheInfo{StoreDir: "/gnu/store"}).CheckStoreDir("file:///c"); err == nil {
		t.Error("CheckStoreDir(/gnu/store) succeeded, want error")
	}
	if err := (&CacheInfo{}).CheckStoreDir("file:///c"); err != nil {
		t.Errorf("CheckStoreDir(unset) = %v, want nil", err)
	}
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// writes back to text that parses to the same narinfo.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.narinfo")
	for _, fn := range files {
		if b, err := os.ReadFile(fn); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, data []byte) {
		ni, err := Parse(data, "fuzz")
		if err != nil {
			return
		}
		text := ni.Bytes()
		back, err := Parse(text, "again")
		if err != nil {
			t.Fatalf("written text does not parse: %v\n%s", err, text)
		}
		if again := back.Bytes(); !bytes.Equal(again, text) {
			t.Fatalf("not stable:\n%s\nthen\n%s", text, again)
		}
	})
}
