# Anonymous modules with the same key count once; without a key, each
# counts.
{ lib, ... }:
let
  once = { key = "once"; config.once = lib.mkAfter "pear"; };
  twice = { config.twice = lib.mkAfter "pear"; };
in
{
  options.once = lib.mkOption { type = lib.types.lines; };
  options.twice = lib.mkOption { type = lib.types.lines; };
  imports = [ once once twice twice ];
}
