package stage1

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Ext4 superblock facts: it starts 1024 bytes into the device; these
// offsets are within it.
const (
	superblockOffset = 1024
	superblockSize   = 1024
	offMagic         = 0x38
	offUUID          = 0x68
	offLabel         = 0x78
	extMagic         = 0xEF53
)

// errNotExt is returned for a block that is not an ext2/3/4 superblock.
var errNotExt = errors.New("not an ext2/3/4 filesystem")

// FSID is what identifies a filesystem on the kernel command line.
type FSID struct {
	Label string
	UUID  string // lowercase, 8-4-4-4-12
}

// ParseExtSuperblock reads the label and UUID of an ext2/3/4 superblock
// (the superblockSize bytes at superblockOffset).
func ParseExtSuperblock(sb []byte) (FSID, error) {
	if len(sb) < offLabel+16 {
		return FSID{}, fmt.Errorf("superblock: %d bytes, want %d", len(sb), superblockSize)
	}
	if binary.LittleEndian.Uint16(sb[offMagic:]) != extMagic {
		return FSID{}, errNotExt
	}
	label := sb[offLabel : offLabel+16]
	if i := strings.IndexByte(string(label), 0); i >= 0 {
		label = label[:i]
	}
	return FSID{Label: string(label), UUID: formatUUID(sb[offUUID : offUUID+16])}, nil
}

func formatUUID(b []byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Matches reports whether a root= specification (LABEL=x or UUID=x) names
// this filesystem. UUIDs compare case-insensitively.
func (id FSID) Matches(spec string) bool {
	if v, ok := strings.CutPrefix(spec, "LABEL="); ok {
		return id.Label == v
	}
	if v, ok := strings.CutPrefix(spec, "UUID="); ok {
		return strings.EqualFold(id.UUID, v)
	}
	return false
}
