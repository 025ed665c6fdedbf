{ lib, config, pkgs, ... }:
with lib;
{
  options.i18n = {
    defaultLocale = mkOption { type = types.str; default = "en_US.UTF-8"; description = "The default locale."; };
    extraLocaleSettings = mkOption { type = types.attrsOf types.str; default = { }; description = "Extra LC_* settings."; };
    supportedLocales = mkOption {
      type = types.listOf types.str;
      default = unique (map (l: "${l}/UTF-8") ([ "C.UTF-8" config.i18n.defaultLocale ] ++ attrValues config.i18n.extraLocaleSettings));
      description = "The locales to build.";
    };
  };
  config.environment.variables = { LANG = config.i18n.defaultLocale; } // config.i18n.extraLocaleSettings;
  config.environment.etc."locale.conf".text = "LANG=${config.i18n.defaultLocale}\n"
    + concatStrings (mapAttrsToList (n: v: "${n}=${v}\n") config.i18n.extraLocaleSettings);
}
