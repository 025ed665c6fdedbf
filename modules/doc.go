// Package modules tests Frazil's system configuration: the Nix modules in
// this directory (the OS option set: boot, fileSystems, networking, users,
// environment, systemd.services, services.openssh, nix.settings and
// system.build.toplevel) and the examples in ../examples.
//
// The package has no Go code of its own. Its tests evaluate configurations
// with Frazil's evaluator (package eval) through default.nix, the entry
// point `frazil rebuild` uses, and check what the system would contain:
// the services of services.json (parsed by the supervisor), activation.json
// (parsed by activation), the kernel, its parameters and the initrd's
// modules, for every example and every platform. Differential tests give
// the same expressions to Nix 2.8's nix-instantiate and compare the
// derivation paths. TestBuildExamples builds every example for every
// platform into one store and checks the built toplevels' files.
//
// Evaluation tests use tests/stub-pkgs.nix, a package set with the real
// one's interface and placeholder builders, so that they run in well under
// a second each and do not depend on the packages' recipes.
package modules
