# A web server's configuration, written as a NixOS user would.
{ lib, config, pkgs, ... }:
let
  inherit (lib) mkDefault mkForce mkIf mkMerge mkAfter genAttrs;
  team = [ "alice" "bob" "carol" "dave" "erin" "frank" ];
  sites = [ "www" "blog" "shop" "api" "docs" "status" "git" "mail" "wiki" "cdn" ];
in
{
  imports = [
    ./hardware-configuration.nix
    ({ pkgs, ... }: { users.users.alice.shell = pkgs.bash // { shellPath = "/bin/bash"; }; })
    { services.nginx.virtualHosts."status.example.org".extraConfig = mkAfter "access_log off;"; }
  ];

  networking.hostName = "web1";
  networking.domain = "example.org";
  networking.nameservers = [ "1.1.1.1" "9.9.9.9" ];
  networking.useDHCP = false;
  networking.interfaces.eth0 = {
    ipv4.addresses = [ { address = "192.0.2.10"; prefixLength = 24; } ];
    ipv6.addresses = [ { address = "2001:db8::10"; prefixLength = 64; } ];
    mtu = 1500;
  };
  networking.defaultGateway = "192.0.2.1";
  networking.firewall.allowedUDPPorts = [ 51820 ];
  networking.firewall.interfaces.eth1.allowedTCPPorts = [ 5432 ];
  networking.enableIPv6Privacy = true;
  networking.extraHosts = ''
    192.0.2.20 db1.example.org db1
  '';

  time.timeZone = "Europe/Berlin";
  i18n.defaultLocale = "en_GB.UTF-8";
  i18n.extraLocaleSettings = { LC_TIME = "de_DE.UTF-8"; LC_MONETARY = "de_DE.UTF-8"; };

  boot.loader.grub.device = "/dev/vda";
  boot.kernelParams = [ "console=ttyS0,115200" "quiet" ];
  boot.kernelModules = [ "wireguard" "tcp_bbr" ];
  boot.blacklistedKernelModules = [ "pcspkr" ];
  boot.kernel.sysctl = {
    "net.ipv4.tcp_congestion_control" = "bbr";
    "net.core.default_qdisc" = "fq";
    "vm.swappiness" = 10;
  };
  boot.tmp.cleanOnBoot = true;

  users.mutableUsers = false;
  users.users = genAttrs team (name: {
    isNormalUser = true;
    description = "Team member ${name}";
    extraGroups = [ "wheel" ] ++ lib.optional (name == "alice") "systemd-journal";
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${name} ${name}@laptop" ];
    hashedPassword = "!";
  }) // {
    deploy = { isNormalUser = true; home = "/srv/deploy"; extraGroups = [ "nginx" ]; };
    backup = { isSystemUser = true; group = "backup"; uid = 990; };
  };
  users.groups.backup = { };
  users.groups.nginx.members = [ "deploy" ];

  services.openssh = {
    enable = true;
    ports = [ 22 2222 ];
    settings = {
      PermitRootLogin = "no";
      PasswordAuthentication = false;
      MaxAuthTries = 3;
      AllowGroups = [ "wheel" ];
    };
  };

  services.nginx = {
    enable = true;
    recommendedGzipSettings = true;
    recommendedProxySettings = true;
    virtualHosts = genAttrs (map (s: "${s}.example.org") sites) (host: {
      forceSSL = true;
      enableACME = true;
      root = "/var/www/${host}";
      locations."/".index = "index.html";
      locations."/api/" = mkIf (lib.hasPrefix "api" host) { proxyPass = "http://127.0.0.1:8080"; };
      locations."= /health" = { return = 200; priority = 100; };
      locations."/static/" = { root = "/var/www/static"; extraConfig = "expires 30d;"; };
    }) // {
      "example.org" = {
        serverAliases = [ "www2.example.org" ];
        locations."/".return = "301 https://www.example.org$request_uri";
      };
    };
  };

  services.postgresql = {
    enable = true;
    ensureDatabases = [ "shop" "wiki" "git" ];
    ensureUsers = map (name: { inherit name; ensureDBOwnership = true; }) [ "shop" "wiki" "git" ];
    settings = { max_connections = 200; shared_buffers = "1GB"; log_min_duration_statement = 500; };
  };

  services.redis.servers = {
    "" = { enable = true; };
    cache = { enable = true; port = 6380; databases = 4; save = [ ]; };
    queue = { enable = true; port = 6381; settings.appendonly = true; };
    unused = { enable = false; };
  };

  services.cron = {
    enable = true;
    mailto = "ops@example.org";
    systemCronJobs = [
      "*/5 * * * * root /run/current-system/sw/bin/check-disk"
      "0 3 * * * backup /run/current-system/sw/bin/backup-db"
    ];
  };

  services.journald.extraConfig = "SystemMaxUse=1G";
  services.prometheus.exporters.node = { enable = true; enabledCollectors = [ "systemd" "processes" ]; openFirewall = true; };
  services.fail2ban = { enable = true; ignoreIP = [ "192.0.2.0/24" ]; jails.nginx-botsearch.settings.logpath = "/var/log/nginx/access.log"; };
  services.logrotate.settings."/var/log/nginx/*.log" = { frequency = "daily"; rotate = 14; compress = true; postrotate = "systemctl reload nginx"; };
  services.getty.autologinUser = mkIf false "root";

  nix.settings = {
    experimental-features = [ "nix-command" "flakes" ];
    trusted-users = [ "root" "@wheel" ];
    substituters = [ "https://cache.example.org" ];
    max-jobs = 4;
    keep-outputs = true;
  };
  nix.gc = { automatic = true; options = "--delete-older-than 30d"; };

  programs.git = { enable = true; config = { init.defaultBranch = "main"; safe.directory = "*"; }; };
  programs.bash.interactiveShellInit = "set -o vi";
  programs.ssh.knownHosts."db1.example.org".publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIdb1";

  security.sudo.wheelNeedsPassword = false;
  security.sudo.extraRules = [
    { users = [ "deploy" ]; commands = [ { command = "/run/current-system/sw/bin/systemctl restart nginx"; options = [ "NOPASSWD" ]; } ]; }
  ];

  environment.systemPackages = with pkgs; [ vim htop curl wget jq tmux git openssl ];
  environment.variables.EDITOR = "vim";
  environment.shellAliases.vi = "vim";
  environment.etc."motd".text = "Welcome to ${config.networking.fqdn}\n";
  environment.etc."frazil/release".text = config.system.nixos.label;

  systemd.services.backup-db = {
    description = "Database backup";
    after = [ "postgresql.service" ];
    requires = [ "postgresql.service" ];
    path = [ pkgs.postgresql pkgs.rsync ];
    script = ''
      pg_dumpall > /var/backup/db.sql
      rsync -a /var/backup/ backup@db1:/srv/backup/
    '';
    startAt = "daily";
    serviceConfig = { Type = "oneshot"; User = "backup"; };
  };
  systemd.services.app = mkMerge [
    {
      description = "Shop backend";
      wantedBy = [ "multi-user.target" ];
      after = [ "postgresql.service" "redis-queue.service" ];
      environment = { DATABASE_URL = "postgres:///shop"; REDIS_URL = "redis://127.0.0.1:6381"; };
      serviceConfig = { ExecStart = "/srv/app/bin/server --port 8080"; User = "deploy"; Restart = "on-failure"; };
    }
    (mkIf config.services.redis.servers.cache.enable { environment.CACHE_URL = "redis://127.0.0.1:6380"; })
  ];
  systemd.services.nginx.serviceConfig.Restart = mkForce "on-failure";

  hardware.cpu.intel.updateMicrocode = true;
  system.stateVersion = "24.11";
}
