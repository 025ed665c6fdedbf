# Options without a type merge with mergeDefaultOption.
{ lib, ... }:
{
  options.lists = lib.mkOption { };
  options.sets = lib.mkOption { };
  options.bools = lib.mkOption { };
  options.strings = lib.mkOption { };
  options.ints = lib.mkOption { };
  options.intsBad = lib.mkOption { };
  options.funs = lib.mkOption { };
  options.mixed = lib.mkOption { };
  imports = [
    { lists = [ 1 ]; sets = { a = 1; }; bools = false; strings = "a"; ints = 3; intsBad = 3; funs = x: [ x ]; mixed = 1; }
    { lists = [ 2 ]; sets = { b = 2; }; bools = true; strings = "b"; ints = 3; intsBad = 4; funs = x: [ (x + 1) ]; mixed = "s"; }
  ];
}
