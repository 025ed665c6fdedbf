# A fake package set: derivation-like sets with stable store paths, so the
# benchmark measures the module system, not package evaluation.
{ lib, config, ... }:
with lib;
let
  mkPkg = pkgName: version: rec {
    type = "derivation";
    pname = pkgName;
    inherit version;
    name = "${pname}-${version}";
    outPath = "/nix/store/${builtins.replaceStrings [ "e" ] [ "x" ] (builtins.hashString "md5" name)}-${name}";
    outputs = [ "out" ];
    meta.mainProgram = pname;
  };
  names = [
    "bash" "coreutils" "openssh" "nginx" "postgresql" "redis" "cronie" "systemd" "iproute2" "dhcpcd"
    "git" "vim" "htop" "curl" "wget" "sudo" "linux-pam" "fail2ban" "prometheus-node-exporter" "logrotate"
    "util-linux" "shadow" "nix" "tzdata" "glibc-locales" "linux" "grub" "kmod" "e2fsprogs" "gnugrep"
    "gnused" "findutils" "less" "man-db" "jq" "tmux" "rsync" "openssl" "cacert" "iptables"
  ];
in
{
  options.nixpkgs = {
    system = mkOption {
      type = types.str;
      default = "x86_64-linux";
      description = "The platform the system is built for.";
    };
    config = mkOption {
      type = types.attrsOf types.anything;
      default = { };
      description = "Package set configuration.";
    };
  };
  config._module.args.pkgs = genAttrs names (n: mkPkg n "1.0") // {
    inherit (config.nixpkgs) system;
    writeText = name: text: mkPkg name (builtins.substring 0 8 (builtins.hashString "sha256" text));
  };
}
