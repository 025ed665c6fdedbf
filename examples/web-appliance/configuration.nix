# A web appliance: one Go HTTP service (./hello-web) run by the supervisor
# as an unprivileged user, restarted when it fails, with its state
# directory prepared before it starts.
#
#   frazil rebuild build --file examples/web-appliance/configuration.nix
{ config, lib, pkgs, modulesPath, ... }:
let
  hello-web = pkgs.buildGoModule {
    pname = "hello-web";
    version = "1.0";
    src = builtins.path { name = "hello-web-src"; path = ./hello-web; };
    subPackages = [ "." ];
  };
  port = 8080;
in
{
  imports = [ (modulesPath + "/profiles/qemu-guest.nix") ];

  networking.hostName = "web";

  users.users.web = {
    isSystemUser = true;
    group = "web";
    home = "/var/lib/web";
    createHome = true;
  };
  users.groups.web = { };

  systemd.services.hello-web = {
    description = "Hello, web";
    wantedBy = [ "multi-user.target" ];
    after = [ "network.target" ];
    environment = {
      HELLO_GREETING = "Hello from ${config.networking.hostName}";
      HELLO_STATE = "/var/lib/web";
    };
    preStart = ''
      mkdir -p /var/lib/web
    '';
    serviceConfig = {
      ExecStart = "${hello-web}/bin/hello-web -listen :${toString port}";
      Restart = "always";
      RestartSec = "2s";
      User = "web";
      Group = "web";
      WorkingDirectory = "/var/lib/web";
    };
  };

  environment.etc."hello-web/motd".text = ''
    This appliance serves http://${config.networking.hostName}:${toString port}/
  '';

  services.openssh.enable = true;
  users.users.root.openssh.authorizedKeys.keys = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDo8DeVZ1Ud4MK8NNwrSGlX7bclwMtkBiyFBpOZOGVNi admin@example"
  ];

  # A root shell on the serial console of the QEMU guest.
  services.getty.autologinUser = "root";

  boot.loader.timeout = 2;
  system.stateVersion = "0.1";
}
