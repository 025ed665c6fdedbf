package refscan

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/storepath"
)

const (
	h1 = "0c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d"
	h2 = "yw2fmvwj39pywaiyi8z4y74mdyp4zzgm"
	h3 = "i3vl5f9f521bladwcs3zi5gmc1pd6qr6"
)

func TestScan(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"none", "nothing to see here", nil},
		{"one", "/nix/store/" + h1 + "-foo/bin", []string{h1}},
		{"two", h2 + " and " + h1, []string{h1, h2}},
		{"adjacent", h1 + h2, []string{h1, h2}},
		{"inside nix32 run", "aaaa" + h3 + "bbbb", []string{h3}},
		{"prefix only", h1[:31], nil},
		{"non-candidate", "00000000000000000000000000000000", nil},
		{"repeated", h1 + h1 + h1, []string{h1}},
		{"binary", "\x00\xff" + h2 + "\x00", []string{h2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New([]string{h1, h2, h3})
			s.Write([]byte(tt.data))
			if got := s.Found(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Found() = %v, want %v", got, tt.want)
			}
		})
	}
}

// naive is the obvious quadratic search, the oracle for the chunked scan.
func naive(data []byte, hashes []string) []string {
	var out []string
	for _, h := range hashes {
		if bytes.Contains(data, []byte(h)) {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// TestChunkBoundaries writes random data with embedded hashes in every
// chunking, including single bytes, and compares with a naive search.
func TestChunkBoundaries(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	hashes := []string{h1, h2, h3}
	for iter := 0; iter < 300; iter++ {
		var b strings.Builder
		for b.Len() < 200 {
			switch r.IntN(4) {
			case 0:
				b.WriteString(hashes[r.IntN(3)][:r.IntN(33)]) // partial or whole
			case 1:
				b.WriteByte("/-.\x00"[r.IntN(4)])
			default:
				b.WriteByte("0123456789abcdfghijklmnpqrsvwxyz"[r.IntN(32)])
			}
		}
		data := []byte(b.String())
		want := naive(data, hashes)
		for _, chunk := range []int{1, 2, 7, 31, 32, 33, 64, len(data)} {
			s := New(hashes)
			for i := 0; i < len(data); i += chunk {
				s.Write(data[i:min(i+chunk, len(data))])
			}
			if got := s.Found(); !reflect.DeepEqual(got, want) {
				t.Fatalf("chunk %d: Found() = %v, want %v in %q", chunk, got, want, data)
			}
		}
	}
}

func TestFoundPaths(t *testing.T) {
	paths := []storepath.Path{
		storepath.Path("/nix/store/" + h2 + "-b"),
		storepath.Path("/nix/store/" + h1 + "-a"),
		storepath.Path("/nix/store/" + h3 + "-c"),
	}
	s := ForPaths(paths)
	s.Write([]byte("ref to " + h2 + " and " + h1))
	want := []storepath.Path{paths[1], paths[0]}
	if got := s.FoundPaths(paths); !reflect.DeepEqual(got, want) {
		t.Errorf("FoundPaths = %v, want %v", got, want)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(h1+"x"+h2), uint8(5))
	f.Add([]byte("abc"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		c := int(chunk) + 1
		hashes := []string{h1, h2, h3}
		s := New(hashes)
		for i := 0; i < len(data); i += c {
			s.Write(data[i:min(i+c, len(data))])
		}
		if got, want := s.Found(), naive(data, hashes); !reflect.DeepEqual(got, want) {
			t.Fatalf("Found() = %v, want %v", got, want)
		}
	})
}

func BenchmarkScan(b *testing.B) {
	data := bytes.Repeat([]byte("some text /nix/store/"+h1+"-x and binary \x00\x01\x02 "), 1<<15)
	hashes := make([]string, 1000)
	for i := range hashes {
		hashes[i] = storepath.Make("x", []byte{byte(i), byte(i >> 8)}, "p").HashPart()
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		s := New(hashes)
		s.Write(data)
	}
}
