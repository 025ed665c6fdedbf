# _module.args are not available for imports.
{ custom, ... }:
{
  imports = if custom then [ ] else [ ];
}
