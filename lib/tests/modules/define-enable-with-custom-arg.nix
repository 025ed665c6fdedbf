{ custom, ... }:
{
  enable = custom;
}
