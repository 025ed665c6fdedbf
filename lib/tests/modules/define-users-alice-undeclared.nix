{
  users.alice = {
    shell = "/bin/sh";
  };
}
