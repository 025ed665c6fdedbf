{
  # shorthandOnlyDefinesConfig: `config` is an option name here.
  shorthand.config = true;
  # without it, a set with `config` is a structured module.
  noShorthand.config.enable = true;
}
