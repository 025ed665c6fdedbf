# Version strings: "1.2.3" -> major "1", minor "2", patch "3".
{ lib }:
let
  inherit (builtins) splitVersion elemAt length concatStringsSep;
  take = n: v: concatStringsSep "." (lib.lists.take n (splitVersion v));
in
{
  inherit splitVersion;
  major = v: elemAt (splitVersion v) 0;
  minor = v: elemAt (splitVersion v) 1;
  patch = v: elemAt (splitVersion v) 2;
  majorMinor = take 2;
  # The version padded with "0" components (or cut) to n components,
  # keeping a "-suffix": pad 3 "1.2-rc1" == "1.2.0-rc1".
  pad = n: version:
    let
      numeric = builtins.head (lib.strings.splitString "-" version);
      suffix = lib.strings.removePrefix numeric version;
    in
    concatStringsSep "." (lib.lists.take n (splitVersion numeric ++ lib.lists.replicate n "0")) + suffix;
}
