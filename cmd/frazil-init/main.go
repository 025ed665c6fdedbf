// Command frazil-init is PID 1 of a booted Frazil generation (its toplevel's
// init); see package init/pid1. Build it static:
// CGO_ENABLED=0 go build -ldflags='-s -w'.
package main

import "github.com/frazil/frazil/init/pid1"

func main() { pid1.Main() }
