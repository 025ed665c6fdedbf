package kernel

import (
	"bytes"
	"debug/elf"
	"fmt"
	"strings"

	"github.com/frazil/frazil/kernel/kmod"
)

// ModInfo is what a module's .modinfo section says about it.
type ModInfo struct {
	Name    string   // "name=", or the file name without .ko
	Depends []string // modules that must be loaded first
	SoftPre []string // softdep "pre:" names (module names or aliases)
	Aliases []string
}

// ReadModInfo parses the .modinfo section of a module's ELF image.
func ReadModInfo(ko []byte) (*ModInfo, error) {
	f, err := elf.NewFile(bytes.NewReader(ko))
	if err != nil {
		return nil, fmt.Errorf("modinfo: %w", err)
	}
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("modinfo: no .modinfo section")
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("modinfo: %w", err)
	}
	return parseModInfo(data), nil
}

// parseModInfo reads NUL-separated key=value entries.
func parseModInfo(data []byte) *ModInfo {
	mi := &ModInfo{}
	for _, entry := range bytes.Split(data, []byte{0}) {
		k, v, ok := strings.Cut(string(entry), "=")
		if !ok {
			continue
		}
		switch k {
		case "name":
			mi.Name = v
		case "depends":
			for _, d := range strings.Split(v, ",") {
				if d != "" {
					mi.Depends = append(mi.Depends, d)
				}
			}
		case "alias":
			mi.Aliases = append(mi.Aliases, v)
		case "softdep":
			mi.SoftPre = append(mi.SoftPre, kmod.SoftPre(v)...)
		}
	}
	return mi
}
