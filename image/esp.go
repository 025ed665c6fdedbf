package image

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/diskfs/go-diskfs/backend"
	"github.com/diskfs/go-diskfs/filesystem/fat32"
)

// ESPLabel is the ESP's FAT volume label.
const ESPLabel = "FRAZIL-ESP"

// espVolumeID derives the FAT volume ID from the seed (never 0).
func espVolumeID(seed string) uint32 {
	h := sha256.Sum256([]byte(seed + "\x00esp-volume-id"))
	if v := binary.LittleEndian.Uint32(h[:4]); v != 0 {
		return v
	}
	return 1
}

// FormatVolumeID formats a FAT volume ID as blkid and GRUB show it.
func FormatVolumeID(id uint32) string { return fmt.Sprintf("%04X-%04X", id>>16, id&0xffff) }

// writeESP creates the FAT32 file system and copies the staged ESP tree
// into it, directories and files in sorted order.
func writeESP(b backend.Storage, w io.WriterAt, part Part, staged string, volID uint32, pr *progress) error {
	// the caller runs fixFAT32 once everything is written
	fsys, err := fat32.Create(b, part.Size, part.Offset, sector, ESPLabel, true)
	if err != nil {
		return fmt.Errorf("create esp: %w", err)
	}
	var paths []string
	err = filepath.WalkDir(staged, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != staged {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("esp: %w", err)
	}
	sort.Strings(paths)
	for _, p := range paths {
		r, _ := filepath.Rel(staged, p)
		name := "/" + filepath.ToSlash(r)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if fi.IsDir() {
			err = fsys.Mkdir(name)
		} else if fi.Mode().IsRegular() {
			err = copyToFAT(fsys, p, name, pr)
		} else {
			err = fmt.Errorf("not a regular file")
		}
		if err != nil {
			return fmt.Errorf("esp %s: %w", name, err)
		}
	}
	return setFATVolumeID(w, part.Offset, volID)
}

func copyToFAT(fsys *fat32.FileSystem, src, name string, pr *progress) error {
	r, err := os.Open(src)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := fsys.OpenFile(name, os.O_CREATE|os.O_RDWR|os.O_TRUNC)
	if err != nil {
		return err
	}
	n, err := io.Copy(w, r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	pr.add(n)
	return err
}

// FAT32 boot sector: BS_VolID at 0x43; the backup boot sector is sector 6.
const (
	fatVolIDOffset     = 0x43
	fatBackupBootSectr = 6
)

func setFATVolumeID(w io.WriterAt, off int64, id uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], id)
	for _, s := range []int64{0, fatBackupBootSectr} {
		if _, err := w.WriteAt(b[:], off+s*sector+fatVolIDOffset); err != nil {
			return fmt.Errorf("esp volume id: %w", err)
		}
	}
	return nil
}

// stagedSize is the bytes of the regular files under dir.
func stagedSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			total += alignUp(fi.Size(), 4096)
		}
		return err
	})
	return total, err
}
