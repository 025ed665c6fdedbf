// Package boottest boots the device side under QEMU (x86-64, TCG): the
// Debian kernel pinned in kernel/kernels.lock.json, an initrd from
// rootfs/initrd holding stage 1, and an ext4 root disk (made with mke2fs -d
// for the test) holding a hand-assembled toplevel whose init is frazil-init
// and whose services exercise the supervisor. It also boots the same kernel
// with a trivial init, to compare boot times. It has no code of its own
// outside its tests and their helper programs in testdata/.
package boottest
