# Fixed points and extensible attribute sets (overlays).
#
# This file uses no other part of the library, so that lib/default.nix can
# build the library itself with makeExtensible.
{ lib }:
let
  foldr = op: nul: list:
    let
      len = builtins.length list;
      go = n: if n == len then nul else op (builtins.elemAt list n) (go (n + 1));
    in
    go 0;
in
rec {
  # The fixed point of f: fix (self: { a = 1; b = self.a + 1; }).b == 2.
  fix = f: let x = f x; in x;

  # fix, remembering f as __unfix__.
  fix' = f: let x = f x // { __unfix__ = f; }; in x;

  # Applies f until the result no longer changes.
  converge = f: x: let x' = f x; in if x' == x then x else converge f x';

  # Applies an overlay (final: prev: { … }) to a function of final.
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;

  # One overlay that applies f, then g.
  composeExtensions = f: g: final: prev:
    let
      fApplied = f final prev;
      prev' = prev // fApplied;
    in
    fApplied // g final prev';

  composeManyExtensions = foldr composeExtensions (_: _: { });

  # An overlay from a set, a function of prev, or an overlay.
  toExtension = f:
    if builtins.isFunction f then
      final: prev:
        let fPrev = f prev;
        in if builtins.isFunction fPrev then f final prev else fPrev
    else _: _: f;

  # fix rattrs, with an `extend` attribute taking an overlay.
  makeExtensible = makeExtensibleWithCustomName "extend";

  makeExtensibleWithCustomName = extenderName: rattrs:
    fix' (self: rattrs self // {
      ${extenderName} = f: makeExtensibleWithCustomName extenderName (extends (toExtension f) rattrs);
    });
}
