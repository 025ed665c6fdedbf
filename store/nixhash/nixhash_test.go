package nixhash

import "testing"

func TestParse(t *testing.T) {
	abc := Sum(SHA256, []byte("abc"))
	tests := []struct {
		in   string
		algo Algo
		want Hash
		err  bool
	}{
		{"sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s", 0, abc, false},
		{"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 0, abc, false},
		{"sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", 0, abc, false},
		{"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", SHA256, abc, false},
		{"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SHA256, abc, false},
		{"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 0, Hash{}, true},
		{"sha1:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 0, Hash{}, true},
		{"sha256:abc", 0, Hash{}, true},
		{"md4:abc", 0, Hash{}, true},
		{"sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s", SHA1, Hash{}, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.algo)
		if (err != nil) != tt.err {
			t.Errorf("Parse(%q, %v) error = %v, want error %v", tt.in, tt.algo, err, tt.err)
			continue
		}
		if err == nil && !got.Equal(tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	h := Sum(SHA256, []byte("abc"))
	tests := []struct {
		e    Encoding
		want string
	}{
		{Base16, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{Nix32, "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s"},
		{Base64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="},
		{SRI, "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="},
	}
	for _, tt := range tests {
		if got := h.Format(tt.e); got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestCompress(t *testing.T) {
	got := Compress([]byte{1, 2, 3, 4, 5}, 2)
	want := []byte{1 ^ 3 ^ 5, 2 ^ 4}
	if string(got) != string(want) {
		t.Errorf("Compress = %v, want %v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s")
	f.Add("sha512-abc")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s, 0)
		if err != nil {
			return
		}
		if len(h.Digest) != h.Algo.Size() {
			t.Fatalf("Parse(%q) gave %d bytes for %v", s, len(h.Digest), h.Algo)
		}
		back, err := Parse(h.SRI(), 0)
		if err != nil || !back.Equal(h) {
			t.Fatalf("SRI round trip of %q: %v %v", s, back, err)
		}
	})
}
