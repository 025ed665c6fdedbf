{
  services.gone = true;
}
