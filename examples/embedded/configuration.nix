# An embedded device on a fixed network: no DHCP, a static address, a
# gateway and name servers, a small initrd (zstd, only the drivers the
# board needs), a data partition, a sensor-reading oneshot job and a
# logger service that starts after it.
#
#   frazil rebuild build --file examples/embedded/configuration.nix --system aarch64-linux
{ config, lib, pkgs, ... }:
{
  networking = {
    hostName = "sensor-07";
    useDHCP = false;
    interfaces.eth0.ipv4.addresses = [{ address = "192.168.50.7"; prefixLength = 24; }];
    defaultGateway = "192.168.50.1";
    nameservers = [ "192.168.50.1" "9.9.9.9" ];
    extraHosts = "192.168.50.2 collector";
  };

  boot.initrd.includeDefaultModules = false;
  boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_blk" "ext4" ];
  boot.initrd.compressor = "zstd";
  boot.kernelModules = [ "virtio_net" ];
  boot.kernelParams = [ "quiet" ];
  boot.loader.timeout = 1;
  boot.loader.grub.configurationLimit = 5;

  fileSystems."/" = { device = "/dev/disk/by-label/frazil-root"; fsType = "ext4"; options = [ "noatime" ]; };
  fileSystems."/data" = { label = "data"; fsType = "ext4"; };

  environment.variables.SENSOR_ID = config.networking.hostName;

  systemd.services.sensor-setup = {
    description = "Prepare the sensor spool";
    wantedBy = [ "multi-user.target" ];
    script = ''
      mkdir -p /var/spool/sensor
      echo ${config.networking.hostName} > /var/spool/sensor/id
    '';
    serviceConfig.Type = "oneshot";
  };

  systemd.services.sensor-log = {
    description = "Log the sensor's readings";
    wantedBy = [ "multi-user.target" ];
    requires = [ "sensor-setup.service" ];
    after = [ "sensor-setup.service" ];
    path = [ pkgs.uroot ];
    script = ''
      while true; do
        date >> /var/spool/sensor/log
        sleep 60
      done
    '';
    serviceConfig.Restart = "on-failure";
  };

  system.stateVersion = "0.1";
}
