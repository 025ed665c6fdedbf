// Command frazil-stage1 is the /init of a Frazil initrd; see package
// init/stage1. Build it static: CGO_ENABLED=0 go build -ldflags='-s -w'.
package main

import "github.com/frazil/frazil/init/stage1"

func main() { stage1.Main() }
