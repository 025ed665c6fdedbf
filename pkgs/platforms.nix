# The systems the package set targets, and what Go calls them.
{
  "x86_64-linux" = { goarch = "amd64"; };
  "aarch64-linux" = { goarch = "arm64"; };
  "i686-linux" = { goarch = "386"; };
}
