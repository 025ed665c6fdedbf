# specialArgs are available to imports and as arguments.
{ modulesPath, specialArgs, ... }:
{
  imports = [ (modulesPath + "/declare-value-int.nix") ];
  value = if specialArgs ? modulesPath then 10 else 0;
}
