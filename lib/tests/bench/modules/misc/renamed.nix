{ lib, ... }:
with lib;
{
  imports = [
    (mkChangedOptionModule [ "networking" "enableIPv6Privacy" ] [ "networking" "tempAddresses" ]
      (config: if config.networking.enableIPv6Privacy then "enabled" else "disabled"))
    (mkRenamedOptionModule [ "services" "sshd" "enable" ] [ "services" "openssh" "enable" ])
    (mkRemovedOptionModule [ "boot" "loader" "grub" "version" ] "GRUB 1 is not supported.")
    (mkAliasOptionModule [ "environment" "sessionVariables" ] [ "environment" "variables" ])
  ];
}
