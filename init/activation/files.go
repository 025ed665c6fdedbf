package activation

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// atomicSymlink makes link point at target: a symlink under a temporary
// name renamed over link, so readers see the old or the new link, never
// none.
func atomicSymlink(target, link string) error {
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return err
	}
	tmp := link + ".tmp-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("link %s -> %s: %w", link, target, err)
	}
	return nil
}

// writeFileAtomic replaces path with data, mode and owner: a temp file
// renamed over it, so readers see the old or the new file. It does not
// fsync: Activate syncs the filesystem once at the end, since fsyncs per file
// dominate boot time on slow disks, and a crash before that sync leaves
// either file in place (ext4 orders a replacing rename after the data) and
// the next boot activates again. A file that already has the content and
// mode is left alone.
func writeFileAtomic(path string, data []byte, mode os.FileMode, uid, gid int) error {
	if st, err := os.Stat(path); err == nil && st.Mode() == mode && st.Size() == int64(len(data)) {
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) && ownedBy(st, uid, gid) {
			return nil
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if uid >= 0 && os.Geteuid() == 0 {
		if err := f.Chown(uid, gid); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// ownedBy reports whether st has owner uid:gid (uid < 0: any).
func ownedBy(st os.FileInfo, uid, gid int) bool {
	if uid < 0 {
		return true
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == uid && int(sys.Gid) == gid
}

// syncRoot makes the activation durable: one syncfs of the filesystem
// holding /etc.
func syncRoot(o *Options) error {
	f, err := os.Open(o.path("/etc"))
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
