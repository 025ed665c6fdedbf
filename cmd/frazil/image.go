package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/frazil/frazil/image"
	"github.com/frazil/frazil/image/bootloader"
)

// imageCommand is the image verb, registered in main.go.
var imageCommand = command{"build a bootable disk image from a toplevel or a profile", runImage}

const imageUsage = `usage: frazil image build (--toplevel PATH | --profile DIR) [--store DIR] -o disk.img [flags]

Writes a raw disk image (GPT; BIOS boot partition on x86, FAT32 ESP, ext4
root labelled frazil-root) holding the closure of every generation, the
profile and a boot menu listing the generations newest first.
`

func runImage(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	var o image.Options
	fs.StringVar(&o.Toplevel, "toplevel", "", "toplevel store `path`: the image's only generation")
	fs.StringVar(&o.Profile, "profile", "", "profile `path` whose every generation goes into the image")
	fs.StringVar(&o.StoreRoot, "store", "/", "store root `DIR` holding the paths")
	fs.StringVar(&o.Output, "o", "disk.img", "output `file`")
	free := fs.String("free", "64M", "free `space` in the root file system (K, M, G suffixes)")
	espSize := fs.String("esp-size", "", "ESP `size` (default: twice the boot files, at least 34M)")
	bios := fs.Bool("bios", false, "install the BIOS loader only")
	uefi := fs.Bool("uefi", false, "install the UEFI loader only")
	fs.IntVar(&o.Menu.Timeout, "timeout", 5, "boot menu timeout in `seconds` (boot.loader.timeout; -1 waits)")
	fs.IntVar(&o.Menu.Limit, "limit", 100, "at most `N` menu entries (configurationLimit)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	fs.Usage = func() { fmt.Fprint(os.Stderr, imageUsage); fs.PrintDefaults() }
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if len(pos) != 1 || pos[0] != "build" {
		fs.Usage()
		return errUsage
	}
	if o.FreeSpace, err = parseSize(*free); err != nil {
		return err
	}
	if *espSize != "" {
		if o.ESPSize, err = parseSize(*espSize); err != nil {
			return err
		}
	}
	if *bios {
		o.Firmware |= bootloader.BIOS
	}
	if *uefi {
		o.Firmware |= bootloader.UEFI
	}
	o.Progress = os.Stderr
	res, err := image.Build(o)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(map[string]any{"image": o.Output, "size": res.Layout.Size,
			"layout": res.Layout, "paths": res.Paths, "espVolumeID": res.ESPVolumeID, "menu": res.Menu})
	}
	fmt.Fprintf(os.Stderr, "%s: %s, %d store paths, %d menu entries\n", o.Output, res.Layout, len(res.Paths), len(res.Menu.Entries))
	fmt.Println(o.Output)
	return nil
}

// parseSize parses "64M", "1G", "512K" or a byte count.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult = 1 << 10
	case strings.HasSuffix(s, "M"):
		mult = 1 << 20
	case strings.HasSuffix(s, "G"):
		mult = 1 << 30
	}
	n, err := strconv.ParseInt(strings.TrimRight(s, "KMG"), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return n * mult, nil
}
