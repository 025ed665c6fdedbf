{ config, ... }:
{
  assertions = [
    { assertion = config.value > 10; message = "value must be greater than 10, is ${toString config.value}"; }
    { assertion = false; message = "second failure"; }
  ];
}
