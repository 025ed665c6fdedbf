package kernel

import "testing"

func TestParseFilename(t *testing.T) {
	tests := []struct {
		name, out, want string
		wantErr         bool
	}{
		{"one record", "Package: linux-image-6.1.0-50-arm64\nVersion: 6.1.176-1\nFilename: pool/main/l/linux-signed-arm64/linux-image-6.1.0-50-arm64_6.1.176-1_arm64.deb\nSize: 1\n",
			"pool/main/l/linux-signed-arm64/linux-image-6.1.0-50-arm64_6.1.176-1_arm64.deb", false},
		{"first of two", "Filename: pool/updates/main/a.deb\n\nFilename: pool/main/a.deb\n", "pool/updates/main/a.deb", false},
		{"no field", "Package: x\nVersion: 1\n", "", true},
		{"not a deb", "Filename: pool/main/x.udeb\n", "", true},
	}
	for _, tt := range tests {
		got, err := parseFilename("x", []byte(tt.out))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%s: parseFilename = %q, %v; want %q (error %v)", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}
