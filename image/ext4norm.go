package image

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
)

func le16(b []byte, o int) uint16     { return binary.LittleEndian.Uint16(b[o:]) }
func le32(b []byte, o int) uint32     { return binary.LittleEndian.Uint32(b[o:]) }
func put32(b []byte, o int, v uint32) { binary.LittleEndian.PutUint32(b[o:], v) }

// groupDesc reads group g's descriptor: inode bitmap and inode table blocks.
func groupDesc(f io.ReaderAt, off int64, geo ext4Geometry, grp int64) (ibitmap, itable int64, err error) {
	d := make([]byte, geo.descSize)
	gdt := (geo.firstDataBlock + 1) * geo.blockSize
	if _, err := f.ReadAt(d, off+gdt+grp*geo.descSize); err != nil {
		return 0, 0, fmt.Errorf("normalise ext4: group %d: %w", grp, err)
	}
	ibitmap, itable = int64(le32(d, 0x4)), int64(le32(d, 0x8))
	if geo.descSize >= 64 {
		ibitmap |= int64(le32(d, 0x24)) << 32
		itable |= int64(le32(d, 0x28)) << 32
	}
	return ibitmap, itable, nil
}

func normaliseInodes(f io.ReaderAt, w io.WriterAt, off int64, geo ext4Geometry, tm time.Time) error {
	for grp := int64(0); grp < geo.groups; grp++ {
		ibm, itab, err := groupDesc(f, off, geo, grp)
		if err != nil {
			return err
		}
		bitmap := make([]byte, geo.inodesPerGroup/8)
		if _, err := f.ReadAt(bitmap, off+ibm*geo.blockSize); err != nil {
			return fmt.Errorf("normalise ext4: inode bitmap %d: %w", grp, err)
		}
		table := make([]byte, geo.inodesPerGroup*geo.inodeSize)
		if _, err := f.ReadAt(table, off+itab*geo.blockSize); err != nil {
			return fmt.Errorf("normalise ext4: inode table %d: %w", grp, err)
		}
		for i := int64(0); i < geo.inodesPerGroup; i++ {
			if bitmap[i/8]&(1<<(i%8)) == 0 {
				continue
			}
			ino := grp*geo.inodesPerGroup + i + 1
			normaliseInode(table[i*geo.inodeSize:(i+1)*geo.inodeSize], ino, tm)
		}
		if _, err := w.WriteAt(table, off+itab*geo.blockSize); err != nil {
			return fmt.Errorf("normalise ext4: inode table %d: %w", grp, err)
		}
	}
	return nil
}

func normaliseInode(b []byte, ino int64, tm time.Time) {
	if ino <= 11 { // reserved inodes, the root directory and lost+found
		put32(b, inoMtime, uint32(tm.Unix()))
	}
	// checksum fields: meaningless without metadata_csum (which we never
	// enable), but go-diskfs fills them from the pre-normalised inode
	b[0x7c], b[0x7d] = 0, 0
	if le16(b, inoExtraIsize) >= 4 {
		b[0x82], b[0x83] = 0, 0
	}
	mt := le32(b, inoMtime)
	put32(b, inoAtime, mt)
	put32(b, inoCtime, mt)
	extra := int(le16(b, inoExtraIsize))
	if len(b) <= 128 {
		return
	}
	if extra >= inoMtimeX+4-0x80 {
		put32(b, inoMtimeX, 0)
	}
	for _, o := range []int{inoCtimeX, inoAtimeX, inoCrtime, inoCrtimeX} {
		if extra >= o+4-0x80 {
			put32(b, o, 0)
		}
	}
	if extra >= inoCrtime+4-0x80 {
		put32(b, inoCrtime, mt)
	}
}

// normaliseJournal gives the journal superblock a UUID derived from seed.
func normaliseJournal(f io.ReaderAt, w io.WriterAt, off int64, geo ext4Geometry, seed string) error {
	if geo.journalInum == 0 {
		return nil
	}
	grp := (geo.journalInum - 1) / geo.inodesPerGroup
	_, itab, err := groupDesc(f, off, geo, grp)
	if err != nil {
		return err
	}
	ino := make([]byte, geo.inodeSize)
	idx := (geo.journalInum - 1) % geo.inodesPerGroup
	if _, err := f.ReadAt(ino, off+itab*geo.blockSize+idx*geo.inodeSize); err != nil {
		return fmt.Errorf("normalise ext4: journal inode: %w", err)
	}
	if geo.journalInum == 0 || geo.inodeSize < inoBlock+24 {
		return nil
	}
	eh := ino[inoBlock:]
	if le16(eh, 0) != 0xf30a || le16(eh, 2) == 0 || le16(eh, 6) != 0 {
		return fmt.Errorf("normalise ext4: journal inode has no leaf extent")
	}
	e := eh[12:]
	start := int64(le16(e, 6))<<32 | int64(le32(e, 8))
	id := uuid.MustParse(guid(seed, "journal"))
	if _, err := w.WriteAt(id[:], off+start*geo.blockSize+0x30); err != nil {
		return fmt.Errorf("normalise ext4: journal: %w", err)
	}
	return nil
}

// normaliseSuperblocks fixes the times and hash seed of every superblock copy.
func normaliseSuperblocks(f io.ReaderAt, w io.WriterAt, off int64, geo ext4Geometry, seed string, tm time.Time) error {
	hs := uuid.MustParse(guid(seed, "hash-seed"))
	for grp := int64(0); grp < geo.groups; grp++ {
		if !hasSuperCopy(grp) {
			continue
		}
		at := off + (grp*geo.blocksPerGp+geo.firstDataBlock)*geo.blockSize
		if grp == 0 {
			at = off + 1024
		}
		sb := make([]byte, 1024)
		if _, err := f.ReadAt(sb, at); err != nil {
			return fmt.Errorf("normalise ext4: superblock copy %d: %w", grp, err)
		}
		if le16(sb, sbMagic) != 0xef53 {
			return fmt.Errorf("normalise ext4: group %d has no superblock copy", grp)
		}
		for _, o := range []int{sbMtime, sbWtime, sbLastcheck, sbMkfsTime} {
			put32(sb, o, uint32(tm.Unix()))
		}
		copy(sb[sbTimeHi:sbTimeHi+4], []byte{0, 0, 0, 0})
		copy(sb[sbHashSeed:sbHashSeed+16], hs[:])
		if _, err := w.WriteAt(sb, at); err != nil {
			return fmt.Errorf("normalise ext4: superblock copy %d: %w", grp, err)
		}
	}
	return nil
}

// hasSuperCopy reports whether group g holds a superblock copy under
// sparse_super: groups 0 and 1 and the powers of 3, 5 and 7.
func hasSuperCopy(g int64) bool {
	if g <= 1 {
		return true
	}
	for _, b := range []int64{3, 5, 7} {
		p := b
		for p < g {
			p *= b
		}
		if p == g {
			return true
		}
	}
	return false
}
