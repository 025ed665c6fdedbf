{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.users;

  userOpts = { name, config, ... }: {
    options = {
      name = mkOption { type = types.passwdEntry types.str; default = name; description = "The name of the user account."; };
      description = mkOption { type = types.passwdEntry types.str; default = ""; example = "Alice Q. User"; description = "A short description of the user account."; };
      uid = mkOption { type = with types; nullOr int; default = cfg.staticIds.${name} or null; description = "The account UID."; };
      isSystemUser = mkOption { type = types.bool; default = false; description = "Whether this is a system user."; };
      isNormalUser = mkOption { type = types.bool; default = false; description = "Whether this is a real user."; };
      group = mkOption { type = types.str; default = ""; description = "The user's primary group."; };
      extraGroups = mkOption { type = types.listOf types.str; default = [ ]; description = "Supplementary groups."; };
      home = mkOption { type = types.passwdEntry types.path; default = "/var/empty"; description = "The user's home directory."; };
      createHome = mkOption { type = types.bool; default = false; description = "Whether to create the home directory."; };
      shell = mkOption { type = types.either types.shellPackage (types.passwdEntry types.path); default = "/run/current-system/sw/bin/nologin"; description = "The login shell."; };
      hashedPassword = mkOption { type = with types; nullOr (passwdEntry str); default = null; description = "The hashed password."; };
      openssh.authorizedKeys.keys = mkOption { type = types.listOf types.singleLineStr; default = [ ]; description = "Authorized SSH keys."; };
      packages = mkOption { type = types.listOf types.package; default = [ ]; description = "Packages in the user's profile."; };
      linger = mkOption { type = types.bool; default = false; description = "Whether the user's services run without a session."; };
    };
    config = mkMerge [
      (mkIf config.isNormalUser {
        group = mkDefault "users";
        createHome = mkDefault true;
        home = mkDefault "/home/${config.name}";
        shell = mkDefault "/run/current-system/sw/bin/bash";
      })
      (mkIf config.isSystemUser {
        createHome = mkDefault false;
      })
    ];
  };

  groupOpts = { name, ... }: {
    options = {
      name = mkOption { type = types.passwdEntry types.str; default = name; description = "The group name."; };
      gid = mkOption { type = with types; nullOr int; default = config.ids.gids.${name} or null; description = "The group GID."; };
      members = mkOption { type = types.listOf (types.passwdEntry types.str); default = [ ]; description = "The members of the group."; };
    };
  };
in
{
  options.users = {
    mutableUsers = mkOption { type = types.bool; default = true; description = "Whether users may be changed outside the configuration."; };
    staticIds = mkOption { type = types.attrsOf types.int; default = config.ids.uids; internal = true; description = "Static uids."; };
    users = mkOption { type = with types; attrsOf (submodule userOpts); default = { }; description = "The user accounts."; };
    groups = mkOption { type = with types; attrsOf (submodule groupOpts); default = { }; description = "The groups."; };
  };

  config = {
    users.users.root = {
      uid = config.ids.uids.root;
      description = "System administrator";
      home = "/root";
      shell = mkDefault "/run/current-system/sw/bin/bash";
      group = "root";
    };
    users.users.nobody = {
      uid = config.ids.uids.nobody;
      isSystemUser = true;
      description = "Unprivileged account (don't use!)";
      group = "nogroup";
    };
    users.groups = genAttrs [ "root" "wheel" "users" "nogroup" "audio" "video" "keys" "systemd-journal" ] (_: { });

    assertions = concatLists (mapAttrsToList (name: user: [
      {
        assertion = user.isNormalUser -> !user.isSystemUser;
        message = "users.users.${name}: isNormalUser and isSystemUser are mutually exclusive.";
      }
      {
        assertion = user.isSystemUser -> user.group != "";
        message = "users.users.${name}.group is unset.";
      }
    ]) cfg.users);

    environment.etc.passwd.text = concatMapStrings
      (u: "${u.name}:x:${toString u.uid}:${toString (config.users.groups.${u.group}.gid or 65534)}:${u.description}:${u.home}:${toString u.shell}\n")
      (attrValues cfg.users);
    environment.etc.group.text = concatMapStrings
      (g: "${g.name}:x:${toString g.gid}:${concatStringsSep "," (g.members ++ attrNames (filterAttrs (_: u: elem g.name u.extraGroups) cfg.users))}\n")
      (attrValues cfg.groups);
  };
}
