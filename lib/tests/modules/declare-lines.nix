{ lib, ... }:
{
  options.text = lib.mkOption {
    type = lib.types.lines;
    default = "";
  };
  options.csv = lib.mkOption {
    type = lib.types.commas;
  };
  options.searchPath = lib.mkOption {
    type = lib.types.envVar;
  };
  options.dashed = lib.mkOption {
    type = lib.types.separatedString "-";
  };
}
