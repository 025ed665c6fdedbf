package image

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/diskfs/go-diskfs/backend"
	"github.com/diskfs/go-diskfs/filesystem/ext4"
	"github.com/google/uuid"
)

// RootLabel is the root file system's label (root=LABEL=frazil-root).
const RootLabel = "frazil-root"

// writeExt4 creates an ext4 file system in the partition and writes the tree.
func writeExt4(b backend.Storage, part Part, t *tree, seed string, pr *progress) (*ext4.FileSystem, error) {
	id := uuid.MustParse(guid(seed, "root-fs"))
	inodes := uint32(inodeCount(len(t.nodes)))
	fsys, err := ext4.Create(b, part.Size, part.Offset, sector, &ext4.Params{
		UUID: &id, VolumeName: RootLabel, SectorsPerBlock: 8, InodeCount: inodes,
		Features: []ext4.FeatureOpt{ext4.WithFeatureReservedGDTBlocksForExpansion(false)},
	})
	if err != nil {
		return nil, fmt.Errorf("create ext4: %w", err)
	}
	nodes := t.sorted()
	for _, n := range nodes {
		if err := writeNode(fsys, n, pr); err != nil {
			return nil, fmt.Errorf("root %s: %w", n.path, err)
		}
	}
	// times last: writing a directory's entries touches its mtime
	for _, n := range nodes {
		if err := fsys.Chtimes(rel(n.path), n.mtime, n.mtime, n.mtime); err != nil {
			return nil, fmt.Errorf("root %s: set times: %w", n.path, err)
		}
	}
	return fsys, nil
}

// inodeCount is the number of inodes for a tree of n entries: twice as
// many, for what the device adds later, and at least 1024.
func inodeCount(n int) int64 { return alignUp(int64(n)*2+512, 1024) }

// rel turns an image path into go-diskfs's form (no leading slash).
func rel(p string) string { return strings.TrimPrefix(p, "/") }

func writeNode(fsys *ext4.FileSystem, n *node, pr *progress) error {
	switch {
	case n.mode.IsDir():
		if err := fsys.Mkdir(rel(n.path)); err != nil {
			return err
		}
	case n.mode&fs.ModeSymlink != 0:
		return fsys.Symlink(n.target, rel(n.path))
	default:
		if err := copyIn(fsys, n, pr); err != nil {
			return err
		}
	}
	return fsys.Chmod(rel(n.path), n.mode&(fs.ModePerm|fs.ModeSticky|fs.ModeSetuid|fs.ModeSetgid))
}

func copyIn(fsys *ext4.FileSystem, n *node, pr *progress) error {
	w, err := fsys.OpenFile(rel(n.path), os.O_CREATE|os.O_RDWR|os.O_TRUNC)
	if err != nil {
		return err
	}
	r, err := os.Open(n.src)
	if err != nil {
		w.Close()
		return err
	}
	defer r.Close()
	c, err := io.Copy(w, r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil && c != n.size {
		err = fmt.Errorf("%s changed size while copying (%d, now %d)", n.src, n.size, c)
	}
	pr.add(c)
	return err
}

// Offsets in the ext4 superblock, group descriptor and inode
// (Documentation/filesystems/ext4 in the kernel tree).
const (
	sbMtime, sbWtime, sbLastcheck, sbMkfsTime = 0x2c, 0x30, 0x40, 0x108
	sbTimeHi                                  = 0x274 // 4 bytes: wtime, mtime, mkfs, lastcheck high bytes
	sbHashSeed, sbJournalInum                 = 0xec, 0xe0
	sbMagic                                   = 0x38
	inoAtime, inoCtime, inoMtime              = 0x08, 0x0c, 0x10
	inoExtraIsize                             = 0x80
	inoCtimeX, inoMtimeX, inoAtimeX           = 0x84, 0x88, 0x8c
	inoCrtime, inoCrtimeX                     = 0x90, 0x94
	inoBlock                                  = 0x28 // i_block: extent header, then entries
)

// ext4Geometry is what normaliseExt4 needs from the superblock.
type ext4Geometry struct {
	blockSize, inodeSize, descSize      int64
	groups, inodesPerGroup, blocksPerGp int64
	firstDataBlock, journalInum         int64
}

// normaliseExt4, for the ext4 file system of size bytes at off, overwrites what go-diskfs fills from the clock or a random
// source so that the same tree gives the same bytes: superblock times and
// hash seed (every copy), the journal's UUID, and every in-use inode's
// atime/ctime/crtime (set to its mtime; reserved inodes get mtime too).
func normaliseExt4(f io.ReaderAt, w io.WriterAt, off, size int64, seed string, tm time.Time) error {
	sb := make([]byte, 1024)
	if _, err := f.ReadAt(sb, off+1024); err != nil {
		return fmt.Errorf("normalise ext4: %w", err)
	}
	if le16(sb, sbMagic) != 0xef53 {
		return fmt.Errorf("normalise ext4: no superblock at %d", off+1024)
	}
	g := ext4Geometry{
		blockSize: 1024 << le32(sb, 0x18), inodeSize: int64(le16(sb, 0x58)), descSize: 32,
		inodesPerGroup: int64(le32(sb, 0x28)), blocksPerGp: int64(le32(sb, 0x20)),
		firstDataBlock: int64(le32(sb, 0x14)), journalInum: int64(le32(sb, sbJournalInum)),
	}
	if le32(sb, 0x64)&0x400 != 0 {
		return fmt.Errorf("normalise ext4: metadata_csum is enabled; checksums would need recomputing")
	}
	if le32(sb, 0x60)&0x80 != 0 { // 64bit
		g.descSize = int64(le16(sb, 0xfe))
	}
	blocks := int64(le32(sb, 0x4))
	if blocks*g.blockSize > size {
		return fmt.Errorf("normalise ext4: %d blocks do not fit %d bytes", blocks, size)
	}
	if err := g.check(blocks); err != nil {
		return fmt.Errorf("normalise ext4: %w", err)
	}
	g.groups = (blocks - g.firstDataBlock + g.blocksPerGp - 1) / g.blocksPerGp
	if err := normaliseInodes(f, w, off, g, tm); err != nil {
		return err
	}
	if err := normaliseJournal(f, w, off, g, seed); err != nil {
		return err
	}
	return normaliseSuperblocks(f, w, off, g, seed, tm)
}

// check rejects superblock values this package never writes, so that a
// corrupt or foreign file system cannot make it allocate or index wildly.
func (g ext4Geometry) check(blocks int64) error {
	switch {
	case g.blockSize < 1024 || g.blockSize > 65536:
		return fmt.Errorf("block size %d out of range", g.blockSize)
	case g.inodeSize < 128 || g.inodeSize > g.blockSize || g.inodeSize&(g.inodeSize-1) != 0:
		return fmt.Errorf("inode size %d out of range", g.inodeSize)
	case g.descSize < 32 || g.descSize > 1024:
		return fmt.Errorf("group descriptor size %d out of range", g.descSize)
	case g.blocksPerGp <= 0 || g.blocksPerGp > 8*g.blockSize:
		return fmt.Errorf("%d blocks per group out of range", g.blocksPerGp)
	case g.inodesPerGroup <= 0 || g.inodesPerGroup > 8*g.blockSize || g.inodesPerGroup%8 != 0:
		return fmt.Errorf("%d inodes per group out of range", g.inodesPerGroup)
	case blocks <= g.firstDataBlock || g.firstDataBlock > 1:
		return fmt.Errorf("%d blocks, first data block %d", blocks, g.firstDataBlock)
	case g.journalInum < 0 || g.journalInum > 11:
		return fmt.Errorf("journal inode %d", g.journalInum)
	}
	return nil
}
