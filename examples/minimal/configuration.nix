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

  # A root shell on the serial console, for `make run` and `frazil run-vm`.
  # Leave it out on hardware whose console others can reach.
  services.getty.autologinUser = "root";

  system.stateVersion = "0.1";
}
