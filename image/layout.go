package image

import (
	"fmt"

	"github.com/diskfs/go-diskfs/partition/gpt"
	"github.com/google/uuid"
)

const (
	sector = 512
	mib    = 1 << 20
	// BIOSBootSize is the size of the BIOS boot partition (GRUB's core.img).
	BIOSBootSize = 1 * mib
	// MinESPSize is the smallest ESP that is still FAT32 for UEFI firmware
	// (65525 clusters of 512 bytes plus the FATs).
	MinESPSize = 34 * mib
	gptTail    = 33 * sector // backup partition array and header
)

// GPT partition type GUIDs.
const (
	typeBIOSBoot = "21686148-6449-6E6F-744E-656564454649"
	typeESP      = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
	typeLinux    = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
)

// A Part is one partition: byte offset and size on the disk.
type Part struct {
	Name         string
	Offset, Size int64
	Type, GUID   string
}

// A Layout is the partitioning of an image.
type Layout struct {
	Size     int64 // whole disk, bytes
	DiskGUID string
	BIOSBoot *Part // nil without BIOS support
	ESP      Part
	Root     Part
}

func alignUp(n, a int64) int64 { return (n + a - 1) / a * a }

// guid derives a stable GUID for name from the image seed.
func guid(seed, name string) string {
	ns := uuid.MustParse("8b0c1f3e-6b2a-4d1e-9a57-0f2a46c1e3d5") // Frazil's image namespace
	return uuid.NewSHA1(ns, []byte(seed+"\x00"+name)).String()
}

// NewLayout places the partitions 1 MiB-aligned: BIOS boot (if bios), ESP,
// root; the disk ends right after the backup GPT.
func NewLayout(seed string, bios bool, espSize, rootSize int64) Layout {
	l := Layout{DiskGUID: guid(seed, "disk")}
	off := int64(mib)
	if bios {
		l.BIOSBoot = &Part{Name: "BIOS boot", Offset: off, Size: BIOSBootSize, Type: typeBIOSBoot, GUID: guid(seed, "bios-boot")}
		off += BIOSBootSize
	}
	l.ESP = Part{Name: "ESP", Offset: off, Size: alignUp(espSize, mib), Type: typeESP, GUID: guid(seed, "esp")}
	off += l.ESP.Size
	l.Root = Part{Name: "frazil-root", Offset: off, Size: alignUp(rootSize, mib), Type: typeLinux, GUID: guid(seed, "root")}
	off += l.Root.Size
	l.Size = off + gptTail
	return l
}

// table returns the GPT for the layout.
func (l Layout) table() *gpt.Table {
	t := &gpt.Table{LogicalSectorSize: sector, PhysicalSectorSize: sector, ProtectiveMBR: true, GUID: l.DiskGUID}
	add := func(p *Part) {
		t.Partitions = append(t.Partitions, &gpt.Partition{
			Index: len(t.Partitions) + 1, Start: uint64(p.Offset / sector), End: uint64((p.Offset+p.Size)/sector - 1), Size: uint64(p.Size),
			Type: gpt.Type(p.Type), Name: p.Name, GUID: p.GUID,
		})
	}
	if l.BIOSBoot != nil {
		add(l.BIOSBoot)
	}
	add(&l.ESP)
	add(&l.Root)
	return t
}

func (l Layout) String() string {
	s := fmt.Sprintf("disk %d MiB", l.Size/mib)
	if l.BIOSBoot != nil {
		s += fmt.Sprintf(", bios-boot %d MiB", l.BIOSBoot.Size/mib)
	}
	return s + fmt.Sprintf(", esp %d MiB, root %d MiB", l.ESP.Size/mib, l.Root.Size/mib)
}
