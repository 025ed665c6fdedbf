# The smallest useful Frazil system: a host name, a user who can log in
# over SSH, and the defaults for everything else (the Debian kernel pinned
# for the platform, the root file system labelled frazil-root, DHCP).
#
#   frazil rebuild build --file examples/minimal/configuration.nix --system aarch64-linux
{ modulesPath, ... }:
{
  imports = [ (modulesPath + "/profiles/qemu-guest.nix") ];

  networking.hostName = "minimal";

  users.users.alice = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDo8DeVZ1Ud4MK8NNwrSGlX7bclwMtkBiyFBpOZOGVNi alice@example"
    ];
  };

  services.openssh.enable = true;

  system.stateVersion = "0.1";
}
