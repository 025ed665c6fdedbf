# Users and groups (users.users, users.groups), with NixOS's defaults:
# a normal user is in group "users" with home /home/<name>; uids and gids
# that are not given are allocated deterministically (normal users from
# 1000 up and system users from 999 down, by name; groups from 999 down).
# PID 1 writes /etc/passwd, /etc/group and /etc/shadow from activation.json.
{ config, lib, options, utils, ... }:
with lib;
let
  cfg = config.users;

  userOptions = { name, config, ... }: {
    options = {
      name = mkOption {
        type = types.passwdEntry types.str;
        description = "The user's name (the attribute name by default).";
      };
      uid = mkOption {
        type = types.nullOr types.ints.unsigned;
        default = null;
        description = "The user id; null allocates one (from 1000 for normal users, from 999 down for system users).";
      };
      isNormalUser = mkOption {
        type = types.bool;
        default = false;
        description = ''
          Whether this is a person's account: group "users", home /home/<name>
          (created), the default shell, a uid from 1000.
        '';
      };
      isSystemUser = mkOption {
        type = types.bool;
        default = false;
        description = "Whether this is a service's account (a uid below 1000, no login shell).";
      };
      group = mkOption {
        type = types.str;
        default = "";
        description = "The user's primary group.";
      };
      extraGroups = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "wheel" ];
        description = "Other groups the user is a member of.";
      };
      description = mkOption {
        type = types.passwdEntry types.str;
        default = "";
        example = "Alice Q. User";
        description = "The user's full name (the GECOS field).";
      };
      home = mkOption {
        type = types.passwdEntry types.path;
        default = "/var/empty";
        description = "The user's home directory.";
      };
      createHome = mkOption {
        type = types.bool;
        default = false;
        description = "Whether activation creates the home directory (owned by the user).";
      };
      shell = mkOption {
        type = types.nullOr (types.either types.shellPackage (types.passwdEntry types.path));
        default = null;
        example = "/run/current-system/sw/bin/sh";
        description = "The login shell: a package (its shellPath, or /bin/sh) or a path; null means none for system users and the default shell for the others.";
      };
      useDefaultShell = mkOption {
        type = types.bool;
        default = false;
        description = "Whether the user's shell is users.defaultUserShell.";
      };
      hashedPassword = mkOption {
        type = types.nullOr (types.passwdEntry types.str);
        default = null;
        example = "$6$rounds=…";
        description = ''
          The password hash (crypt(3) format) for /etc/shadow. Null keeps a hash
          set on the machine; "!" locks the password.
        '';
      };
      openssh.authorizedKeys.keys = mkOption {
        type = types.listOf types.singleLineStr;
        default = [ ];
        example = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… alice@laptop" ];
        description = "Public keys that may log in as this user over SSH (written to /etc/ssh/authorized_keys.d/<name>).";
      };
      openssh.authorizedKeys.keyFiles = mkOption {
        type = types.listOf types.path;
        default = [ ];
        description = "Files of public keys, read when the configuration is evaluated.";
      };
    };
    config = mkMerge [
      { name = mkDefault name; }
      (mkIf config.isNormalUser {
        group = mkDefault "users";
        createHome = mkDefault true;
        home = mkDefault "/home/${config.name}";
        useDefaultShell = mkDefault true;
      })
    ];
  };

  groupOptions = { name, ... }: {
    options = {
      name = mkOption {
        type = types.passwdEntry types.str;
        description = "The group's name (the attribute name by default).";
      };
      gid = mkOption {
        type = types.nullOr types.ints.unsigned;
        default = null;
        description = "The group id; null allocates one (from 999 down).";
      };
      members = mkOption {
        type = types.listOf (types.passwdEntry types.str);
        default = [ ];
        description = "Members besides the users whose extraGroups name this group.";
      };
    };
    config.name = mkDefault name;
  };

  users = attrValues cfg.users;
  groups = attrValues cfg.groups;

  # allocateIds start step names taken: name -> id for the sorted names,
  # counting from start by step and skipping the taken ids.
  allocateIds = start: step: names: taken:
    let
      go = acc: n:
        let
          free = i: if elem i taken then free (i + step) else i;
          id = free acc.next;
        in
        { next = id + step; ids = acc.ids // { ${n} = id; }; };
    in
    (foldl' go { next = start; ids = { }; } (sort (a: b: a < b) names)).ids;

  fixedUids = filter (x: x != null) (map (u: u.uid) users);
  fixedGids = filter (x: x != null) (map (g: g.gid) groups);
  normalUids = allocateIds 1000 1 (map (u: u.name) (filter (u: u.uid == null && u.isNormalUser) users)) fixedUids;
  systemUids = allocateIds 999 (-1) (map (u: u.name) (filter (u: u.uid == null && !u.isNormalUser) users)) fixedUids;
  gids = allocateIds 999 (-1) (map (g: g.name) (filter (g: g.gid == null) groups)) fixedGids;

  uidOf = u: if u.uid != null then u.uid else normalUids.${u.name} or systemUids.${u.name};
  gidOf = g: if g.gid != null then g.gid else gids.${g.name};

  shellOf = u:
    if u.useDefaultShell then shellPath cfg.defaultUserShell
    else if u.shell == null then "/run/current-system/sw/bin/nologin"
    else shellPath u.shell;
  shellPath = s: if isDerivation s then "${s}${s.shellPath or "/bin/sh"}" else toString s;

  keysOf = u: u.openssh.authorizedKeys.keys
    ++ concatMap (f: filter (l: l != "" && !hasPrefix "#" l) (splitString "\n" (builtins.readFile f))) u.openssh.authorizedKeys.keyFiles;

  userData = u: {
    inherit (u) name group home isNormalUser;
    uid = uidOf u;
    shell = shellOf u;
  } // optionalAttrs (u.description != "") { inherit (u) description; }
  // optionalAttrs (u.hashedPassword != null) { inherit (u) hashedPassword; }
  // optionalAttrs u.createHome { createHome = true; }
  // optionalAttrs (u.extraGroups != [ ]) { inherit (u) extraGroups; }
  // optionalAttrs (keysOf u != [ ]) { authorizedKeys = keysOf u; };

  membersOf = g: unique (g.members ++ map (u: u.name) (filter (u: elem g.name u.extraGroups) users));
  groupData = g: { inherit (g) name; gid = gidOf g; members = membersOf g; };

  at = u: utils.definedIn options.users.users u.name;

  byName = sort (a: b: a.name < b.name);
  duplicates = ids: attrNames (filterAttrs (_: n: n > 1) (foldl' (acc: i: acc // { ${toString i} = (acc.${toString i} or 0) + 1; }) { } ids));
in
{
  options.users = {
    users = mkOption {
      type = types.attrsOf (types.submodule userOptions);
      default = { };
      example = literalExpression ''{ alice = { isNormalUser = true; extraGroups = [ "wheel" ]; openssh.authorizedKeys.keys = [ "ssh-ed25519 …" ]; }; }'';
      description = "The user accounts.";
    };

    groups = mkOption {
      type = types.attrsOf (types.submodule groupOptions);
      default = { };
      example = { students.gid = 1001; };
      description = "The groups.";
    };

    defaultUserShell = mkOption {
      type = types.either types.path types.shellPackage;
      default = "/run/current-system/sw/bin/sh";
      description = "The shell of users with useDefaultShell (normal users).";
    };

    accounts = mkOption {
      type = types.attrs;
      readOnly = true;
      internal = true;
      description = "The users and groups of activation.json, with their ids allocated.";
    };
  };

  config = {
    users.users = {
      root = {
        uid = 0;
        description = "System administrator";
        home = "/root";
        group = "root";
        useDefaultShell = true;
      };
      nobody = {
        uid = 65534;
        isSystemUser = true;
        description = "Unprivileged account (don't use!)";
        group = "nogroup";
      };
    };

    users.groups = {
      root.gid = 0;
      wheel.gid = 1;
      users.gid = 100;
      nogroup.gid = 65534;
    };

    users.accounts = {
      users = map userData (byName users);
      groups = map groupData (byName groups);
    };

    assertions =
      concatMap
        (u: [
          {
            assertion = u.name == "root" || u.uid != null || (u.isNormalUser != u.isSystemUser);
            message = "users.users.${u.name}: exactly one of isNormalUser and isSystemUser must be set${at u}.";
          }
          {
            assertion = u.group != "";
            message = "users.users.${u.name}.group is unset${at u}: set it (system users have no default group).";
          }
          {
            assertion = u.group == "" || cfg.groups ? ${u.group};
            message = "users.users.${u.name}.group: the group \"${u.group}\" is not defined in users.groups${at u}.";
          }
        ])
        users
      ++ [
        {
          assertion = duplicates (map uidOf users) == [ ];
          message = "users.users: uid ${concatStringsSep ", " (duplicates (map uidOf users))} is used by more than one user.";
        }
        {
          assertion = duplicates (map gidOf groups) == [ ];
          message = "users.groups: gid ${concatStringsSep ", " (duplicates (map gidOf groups))} is used by more than one group.";
        }
      ];
  };
}
