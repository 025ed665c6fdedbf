{
  warnings = [ "this is deprecated" ];
}
