{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.special = mkOption {
    type = types.submoduleWith {
      modules = [ ({ greeting, ... }: { options.text = mkOption { default = greeting; }; }) ];
      specialArgs.greeting = "hello";
    };
    default = { };
  };
  options.shorthand = mkOption {
    type = types.submoduleWith {
      modules = [ { options.config = mkOption { type = types.bool; default = false; }; } ];
      shorthandOnlyDefinesConfig = true;
    };
    default = { };
  };
  options.noShorthand = mkOption {
    type = types.submoduleWith {
      modules = [ { options.enable = mkOption { type = types.bool; default = false; }; } ];
    };
    default = { };
  };
  options.described = mkOption {
    type = types.submoduleWith { modules = [ ]; description = "a special thing"; };
  };
}
