# A misspelt option name.
{ lib, ... }:
{
  enabel = true;
}
