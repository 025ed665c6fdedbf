{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.nix;
  value = v: if isBool v then boolToString v else if isList v then concatMapStringsSep " " toString v else toString v;
in
{
  options.nix = {
    enable = mkOption { type = types.bool; default = true; description = "Whether to run the Nix daemon."; };
    settings = mkOption {
      type = types.submodule {
        freeformType = with types; attrsOf (oneOf [ bool int str (listOf str) ]);
        options = {
          max-jobs = mkOption { type = types.either types.int (types.enum [ "auto" ]); default = "auto"; description = "Parallel builds."; };
          sandbox = mkOption { type = types.either types.bool (types.enum [ "relaxed" ]); default = true; description = "Whether to sandbox builds."; };
          substituters = mkOption { type = types.listOf types.str; default = [ ]; description = "Binary caches."; };
          trusted-users = mkOption { type = types.listOf types.str; default = [ "root" ]; description = "Trusted users."; };
          experimental-features = mkOption { type = types.listOf types.str; default = [ ]; description = "Experimental features."; };
        };
      };
      default = { };
      description = "nix.conf settings.";
    };
    gc.automatic = mkOption { type = types.bool; default = false; description = "Whether to collect garbage periodically."; };
    gc.dates = mkOption { type = types.str; default = "03:15"; description = "When to collect garbage."; };
    gc.options = mkOption { type = types.str; default = ""; description = "Options of nix-collect-garbage."; };
  };
  config = mkIf cfg.enable {
    environment.systemPackages = [ pkgs.nix ];
    environment.etc."nix/nix.conf".text = concatStrings (mapAttrsToList (n: v: "${n} = ${value v}\n") cfg.settings);
    systemd.services.nix-daemon = {
      description = "Nix Daemon";
      wantedBy = [ "multi-user.target" ];
      path = [ pkgs.nix pkgs.util-linux ];
      environment.CURL_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
      serviceConfig = { ExecStart = "${pkgs.nix}/bin/nix-daemon"; KillMode = "process"; LimitNOFILE = 1048576; };
      restartTriggers = [ config.environment.etc."nix/nix.conf".source ];
    };
    systemd.services.nix-gc = mkIf cfg.gc.automatic {
      description = "Nix Garbage Collector";
      script = "exec ${pkgs.nix}/bin/nix-collect-garbage ${cfg.gc.options}";
      startAt = cfg.gc.dates;
      serviceConfig.Type = "oneshot";
    };
  };
}
