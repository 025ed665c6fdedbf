package image

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// fatGeometry is what fixFAT32 needs from the boot sector.
type fatGeometry struct {
	off                   int64 // partition offset
	clusterSize, dataOff  int64 // bytes; data region offset from off
	fatOff, fatSize       int64
	rootCluster, clusters uint32
	fsInfoSector          int64
}

func readFATGeometry(r io.ReaderAt, off, size int64) (fatGeometry, error) {
	bs := make([]byte, 512)
	if _, err := r.ReadAt(bs, off); err != nil {
		return fatGeometry{}, fmt.Errorf("fat32: boot sector: %w", err)
	}
	bps := int64(binary.LittleEndian.Uint16(bs[0x0b:]))
	spc := int64(bs[0x0d])
	reserved := int64(binary.LittleEndian.Uint16(bs[0x0e:]))
	nfats := int64(bs[0x10])
	total := int64(binary.LittleEndian.Uint32(bs[0x20:]))
	fatSz := int64(binary.LittleEndian.Uint32(bs[0x24:]))
	if bps != 512 || spc == 0 || spc&(spc-1) != 0 || nfats == 0 || nfats > 2 || fatSz == 0 || fatSz > total || reserved == 0 || total*bps > size {
		return fatGeometry{}, fmt.Errorf("fat32: not a FAT32 boot sector at %d", off)
	}
	g := fatGeometry{off: off, clusterSize: bps * spc, fatOff: reserved * bps, fatSize: fatSz * bps,
		rootCluster: binary.LittleEndian.Uint32(bs[0x2c:]), fsInfoSector: int64(binary.LittleEndian.Uint16(bs[0x30:]))}
	g.dataOff = (reserved + nfats*fatSz) * bps
	if total*bps <= g.dataOff {
		return fatGeometry{}, fmt.Errorf("fat32: no data region")
	}
	g.clusters = uint32((total*bps - g.dataOff) / g.clusterSize)
	if int64(g.clusters+2)*4 > g.fatSize {
		return fatGeometry{}, fmt.Errorf("fat32: %d clusters do not fit a %d-byte FAT", g.clusters, g.fatSize)
	}
	return g, nil
}

// fixFAT32, for the FAT32 file system of size bytes at off, repairs what go-diskfs's FAT32 writer leaves for fsck.vfat to
// complain about and makes it reproducible: every directory entry gets the
// fixed time tm, ".." entries of top-level directories point at cluster 0
// as the specification requires, and the FSInfo sector gets the real free
// cluster count and next-free hint.
func fixFAT32(f io.ReaderAt, w io.WriterAt, off, size int64, tm time.Time) error {
	g, err := readFATGeometry(f, off, size)
	if err != nil {
		return err
	}
	fat := make([]byte, g.fatSize)
	if _, err := f.ReadAt(fat, off+g.fatOff); err != nil {
		return fmt.Errorf("fat32: fat: %w", err)
	}
	if err := g.fixDir(f, w, fat, g.rootCluster, true, fatTime(tm), 0); err != nil {
		return err
	}
	return g.fixFSInfo(f, w, fat)
}

func (g fatGeometry) chain(fat []byte, c uint32) ([]uint32, error) {
	var out []uint32
	for c >= 2 && c < 0x0ffffff8 {
		if len(out) > int(g.clusters) || c >= g.clusters+2 {
			return nil, fmt.Errorf("fat32: broken cluster chain at %d", c)
		}
		out = append(out, c)
		c = binary.LittleEndian.Uint32(fat[c*4:]) & 0x0fffffff
	}
	return out, nil
}

// fatTime encodes tm as FAT's date and time words.
func fatTime(tm time.Time) [2]uint16 {
	tm = tm.UTC()
	if tm.Year() < 1980 {
		tm = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	d := uint16((tm.Year()-1980)<<9 | int(tm.Month())<<5 | tm.Day())
	t := uint16(tm.Hour()<<11 | tm.Minute()<<5 | tm.Second()/2)
	return [2]uint16{d, t}
}

func (g fatGeometry) fixDir(f io.ReaderAt, w io.WriterAt, fat []byte, c uint32, isRoot bool, dt [2]uint16, depth int) error {
	if depth > 64 {
		return fmt.Errorf("fat32: directories nested too deep")
	}
	clusters, err := g.chain(fat, c)
	if err != nil {
		return err
	}
	var subdirs []uint32
	for _, cl := range clusters {
		at := g.off + g.dataOff + int64(cl-2)*g.clusterSize
		buf := make([]byte, g.clusterSize)
		if _, err := f.ReadAt(buf, at); err != nil {
			return fmt.Errorf("fat32: directory cluster %d: %w", cl, err)
		}
		for i := 0; i+32 <= len(buf); i += 32 {
			e := buf[i : i+32]
			if e[0] == 0 {
				break
			}
			if e[0] == 0xe5 || e[0x0b] == 0x0f {
				continue
			}
			e[0x0d] = 0
			for _, o := range []int{0x0e, 0x16} {
				binary.LittleEndian.PutUint16(e[o:], dt[1])
			}
			for _, o := range []int{0x10, 0x12, 0x18} {
				binary.LittleEndian.PutUint16(e[o:], dt[0])
			}
			first := uint32(binary.LittleEndian.Uint16(e[0x14:]))<<16 | uint32(binary.LittleEndian.Uint16(e[0x1a:]))
			switch name := string(e[0:11]); {
			case name == "..         " && isRootChild(depth):
				binary.LittleEndian.PutUint16(e[0x14:], 0)
				binary.LittleEndian.PutUint16(e[0x1a:], 0)
			case name == ".          " || name == "..         ":
			case e[0x0b]&0x10 != 0 && first >= 2:
				subdirs = append(subdirs, first)
			}
		}
		if _, err := w.WriteAt(buf, at); err != nil {
			return fmt.Errorf("fat32: directory cluster %d: %w", cl, err)
		}
	}
	for _, sd := range subdirs {
		if err := g.fixDir(f, w, fat, sd, false, dt, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// isRootChild reports whether a directory at depth is a child of the root.
func isRootChild(depth int) bool { return depth == 1 }

func (g fatGeometry) fixFSInfo(f io.ReaderAt, w io.WriterAt, fat []byte) error {
	free, next := uint32(0), uint32(0xffffffff)
	for c := uint32(2); c < g.clusters+2; c++ {
		if binary.LittleEndian.Uint32(fat[c*4:])&0x0fffffff == 0 {
			free++
			if next == 0xffffffff {
				next = c
			}
		}
	}
	for _, s := range []int64{g.fsInfoSector, g.fsInfoSector + 6} {
		at := g.off + s*512
		buf := make([]byte, 512)
		if _, err := f.ReadAt(buf, at); err != nil {
			return fmt.Errorf("fat32: fsinfo: %w", err)
		}
		if binary.LittleEndian.Uint32(buf[0:]) != 0x41615252 {
			continue // no (backup) FSInfo sector there
		}
		binary.LittleEndian.PutUint32(buf[488:], free)
		binary.LittleEndian.PutUint32(buf[492:], next)
		if _, err := w.WriteAt(buf, at); err != nil {
			return fmt.Errorf("fat32: fsinfo: %w", err)
		}
	}
	return nil
}
