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

// errNotFAT is returned for a sector that is not a FAT boot sector.
var errNotFAT = errors.New("not a FAT filesystem")

// FSID is what identifies a filesystem on the kernel command line.
type FSID struct {
	Type  string // "ext4" (any ext2/3/4) or "vfat", as mount(2) takes it
	Label string
	UUID  string // ext: lowercase, 8-4-4-4-12; FAT: the volume ID as ABCD-1234
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
	return FSID{Type: "ext4", Label: string(label), UUID: formatUUID(sb[offUUID : offUUID+16])}, nil
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

// FAT boot sector facts (the BIOS parameter block in the first sector).
// FAT12/16 and FAT32 keep the extended boot record at different offsets.
const (
	fatBootSize      = 512
	fatOffSectorSize = 11 // bytes per sector
	fatOffFATSize16  = 22 // sectors per FAT, 0 on FAT32
	fatOffEBR16      = 36 // FAT12/16 extended boot record
	fatOffEBR32      = 64 // FAT32 extended boot record
	fatEBRSignature  = 2  // within the EBR: 0x29 when ID and label follow
	fatEBRVolumeID   = 3
	fatEBRLabel      = 7
)

// ParseFATBootSector reads the volume label and ID of a FAT12/16/32 boot
// sector (the first fatBootSize bytes of the filesystem), as blkid reports
// them: the label without trailing spaces ("" for "NO NAME") and the UUID
// as the volume ID in the form "ABCD-1234".
func ParseFATBootSector(bs []byte) (FSID, error) {
	if len(bs) < fatBootSize {
		return FSID{}, fmt.Errorf("FAT boot sector: %d bytes, want %d", len(bs), fatBootSize)
	}
	if bs[510] != 0x55 || bs[511] != 0xAA {
		return FSID{}, errNotFAT
	}
	switch binary.LittleEndian.Uint16(bs[fatOffSectorSize:]) {
	case 512, 1024, 2048, 4096:
	default:
		return FSID{}, errNotFAT
	}
	ebr := fatOffEBR16
	if binary.LittleEndian.Uint16(bs[fatOffFATSize16:]) == 0 {
		ebr = fatOffEBR32
	}
	if bs[ebr+fatEBRSignature] != 0x29 {
		return FSID{}, errNotFAT
	}
	id := binary.LittleEndian.Uint32(bs[ebr+fatEBRVolumeID:])
	label := strings.TrimRight(string(bs[ebr+fatEBRLabel:ebr+fatEBRLabel+11]), " \x00")
	if label == "NO NAME" {
		label = ""
	}
	return FSID{Type: "vfat", Label: label, UUID: fmt.Sprintf("%04X-%04X", id>>16, id&0xffff)}, nil
}
