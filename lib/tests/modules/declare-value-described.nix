# A second declaration may add fields the first lacks.
{ lib, ... }:
{
  options.value = lib.mkOption {
    description = "The value.";
    example = 3;
  };
}
