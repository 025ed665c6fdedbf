# A realistic, NixOS-shaped evaluation for benchmarking the module system:
# ~40 option-declaring modules (users.users.<name>, systemd.services.<name>,
# environment.etc.<name>, services.nginx.virtualHosts.<name>.locations…) and
# a server configuration using mkIf, mkDefault, mkMerge and mkForce.
#
#   nix-instantiate --eval --strict --json lib/tests/bench/default.nix
#
# evaluates `system.build.summary`, which reads every part of the
# configuration a system build would (the /etc tree, the services, users,
# file systems, kernel parameters, activation script).
let
  lib = import ../..;
  eval = lib.evalModules {
    modules = import ./modules/module-list.nix ++ [ ./configuration.nix ];
    specialArgs.modulesPath = ./modules;
    class = "nixos";
  };
in
eval.config.system.build.summary
