// Package image writes bootable raw disk images in Go, without root,
// loop devices or mkfs: a GPT with (on x86) a 1 MiB BIOS boot partition for
// GRUB's core image, an EFI system partition (FAT32) holding the loader, the
// menu and one kernel+initrd per kept generation, and an ext4 root file
// system labelled frazil-root holding the store closure of every generation,
// the store database and the system profile.
//
// Images are reproducible: the same inputs give the same bytes. Disk and
// partition GUIDs, the FAT volume ID and the ext4 UUID are derived from a
// seed (by default the generations' toplevels); every timestamp is fixed
// (store files have Nix's canonical mtime 1, profile links keep their
// generation's time, everything else gets Options.Time), and the ext4
// writer's random and clock-derived fields are overwritten afterwards
// (normaliseExt4). The output file is sparse.
//
// The file systems are written with github.com/diskfs/go-diskfs; its ext4
// writer is checked by e2fsck -fn and by Linux mounting the result in QEMU.
package image
