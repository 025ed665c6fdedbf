{
  users.alice = {
    uid = 1000;
    groups = [ "wheel" ];
  };
}
