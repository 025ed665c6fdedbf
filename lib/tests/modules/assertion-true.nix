{
  assertions = [ { assertion = true; message = "never shown"; } ];
}
