{ lib, config, pkgs, ... }:
with lib;
let
  fsOpts = { name, config, ... }: {
    options = {
      mountPoint = mkOption { type = types.str; default = name; description = "Where to mount."; };
      device = mkOption { type = types.nullOr types.str; default = null; description = "The device."; };
      label = mkOption { type = types.nullOr types.str; default = null; description = "The file system label."; };
      fsType = mkOption { type = types.str; default = "auto"; description = "The file system type."; };
      options = mkOption { type = types.nonEmptyListOf types.str; default = [ "defaults" ]; description = "Mount options."; };
      neededForBoot = mkOption { type = types.bool; default = false; description = "Whether stage 1 mounts it."; };
      autoFormat = mkOption { type = types.bool; default = false; description = "Whether to format an empty device."; };
    };
    config.device = mkIf (config.label != null) (mkDefault "/dev/disk/by-label/${config.label}");
  };
  fileSystems = attrValues config.fileSystems;
in
{
  options.fileSystems = mkOption {
    type = types.attrsOf (types.submodule fsOpts);
    default = { };
    description = "The file systems to mount.";
  };
  config = {
    boot.initrd.supportedFilesystems = unique (map (fs: fs.fsType) (filter (fs: fs.neededForBoot || fs.mountPoint == "/") fileSystems));
    environment.etc.fstab.text = concatMapStrings (fs:
      "${fs.device} ${fs.mountPoint} ${fs.fsType} ${concatStringsSep "," fs.options} 0 ${if fs.mountPoint == "/" then "1" else "2"}\n")
      (sortOn (fs: fs.mountPoint) fileSystems);
    assertions = map (fs: { assertion = fs.device != null; message = "fileSystems.${fs.mountPoint}: device or label must be set."; }) fileSystems;
  };
}
