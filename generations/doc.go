// Package generations manages profiles and their numbered generations exactly
// like `nix-env -p PROFILE`, and derives boot-menu entries from them.
//
// A profile is a symlink PROFILE (for example /nix/var/nix/profiles/system)
// pointing, by a relative target, at PROFILE-N-link in the same directory,
// which in turn points at a store path (a system toplevel). Generation N+1 is
// made by creating PROFILE-(N+1)-link, where N is the highest existing
// number, and then atomically repointing PROFILE at it (symlink to a temporary
// name, rename over PROFILE, fsync the directory). No new generation is made
// when the newest one already points at the same store path. Every operation
// that changes a profile holds an exclusive flock on PROFILE.lock, the file
// Nix locks too, so Frazil and nix-env can share a profile.
//
// A crash at any point leaves PROFILE pointing at a complete generation: the
// N-link is complete before PROFILE is repointed, and the repointing is one
// rename.
//
// Store paths inside links are logical (/nix/store/…). A Profile opened with a
// store root R reads the generations' files (frazil-version, kernel, …) under
// R, so a profile of a chroot store (frazil --store R) works on a build host.
package generations
