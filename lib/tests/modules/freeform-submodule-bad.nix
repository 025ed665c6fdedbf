{
  settings.Banner = [ "not" "a" "string" ];
}
