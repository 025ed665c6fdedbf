{
  list = [
    "fine"
    42
  ];
}
