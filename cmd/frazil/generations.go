package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image/bootloader"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// generationsCommand is the generations verb, registered in main.go.
var generationsCommand = command{"list, roll back, switch or delete system generations", runGenerations}

const generationsUsage = `usage: frazil generations list|rollback|switch N|delete SPEC...|set TOPLEVEL [flags]

set adds generation N+1 pointing at TOPLEVEL (like nix-env --set), unless the
newest generation already points at it; on a build host it makes profiles
that "frazil image build --profile" puts into an image.

SPEC is generation numbers, "old" (all but the current), "+N" (keep the
current and N-1 before it) or "Nd" (older than N days, keeping the one that
was current then). rollback, switch and delete rewrite the boot menu on the
ESP at --boot (on a device: /boot) so that the next boot follows the profile.
`

func runGenerations(args []string) error {
	fs := flag.NewFlagSet("generations", flag.ContinueOnError)
	profile := fs.String("profile", "", "profile `path` (default: the store's /nix/var/nix/profiles/system)")
	store := fs.String("store", "", "store root `DIR` the profile's generations live in (default /)")
	asJSON := fs.Bool("json", false, "list: print JSON")
	boot := fs.String("boot", "", "ESP `DIR` whose boot menu follows the profile (default /boot for the device's own profile; \"none\" to skip)")
	fs.Usage = func() { fmt.Fprint(os.Stderr, generationsUsage); fs.PrintDefaults() }
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	p, bootDir, err := openProfile(*profile, *store, *boot)
	if err != nil {
		return err
	}
	switch verb, rest := pos[0], pos[1:]; verb {
	case "list":
		return listGenerations(p, *asJSON)
	case "rollback":
		from, to, err := p.Rollback()
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "switching profile from version %d to %d\n", from, to)
	case "switch":
		if len(rest) != 1 {
			fs.Usage()
			return errUsage
		}
		n, err := strconv.Atoi(rest[0])
		if err != nil {
			return fmt.Errorf("invalid generation number '%s'", rest[0])
		}
		if err := p.SwitchGeneration(n); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "switching profile to version %d\n", n)
	case "set":
		if len(rest) != 1 {
			fs.Usage()
			return errUsage
		}
		if err := setGeneration(p, *store, rest[0]); err != nil {
			return err
		}
	case "delete":
		spec, err := generations.ParseDeleteSpec(rest)
		if err != nil {
			return err
		}
		deleted, err := p.Delete(spec, time.Now())
		for _, n := range deleted {
			fmt.Fprintf(os.Stderr, "removing profile version %d\n", n)
		}
		if err != nil {
			return err
		}
	default:
		fs.Usage()
		return errUsage
	}
	return updateBootMenu(p, bootDir)
}

// setGeneration adds a generation for toplevel, which must be a store path
// present under the store root; a profile outside the store's profiles
// directory gets an indirect GC root, as Nix's addPermRoot does.
func setGeneration(p *generations.Profile, storeRoot, toplevel string) error {
	sp, err := storepath.Parse(toplevel)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p.RealPath(string(sp))); err != nil {
		return fmt.Errorf("set %s: %w", sp, err)
	}
	g, created, err := p.Set(string(sp))
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(os.Stderr, "created generation %d of %s\n", g.Number, p.Path)
	} else {
		fmt.Fprintf(os.Stderr, "generation %d of %s already points at %s\n", g.Number, p.Path, sp)
	}
	root := storeRoot
	if root == "" {
		root = "/"
	}
	profilesDir := filepath.Join(root, "nix/var/nix/profiles")
	if rel, err := filepath.Rel(profilesDir, g.Link); err == nil && !strings.HasPrefix(rel, "..") {
		return nil
	}
	s, err := store.Open(root)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.AddIndirectRoot(g.Link)
}

// openProfile resolves the profile and the ESP directory to keep in step.
func openProfile(profile, store, boot string) (*generations.Profile, string, error) {
	own := profile == "" && store == ""
	if profile == "" {
		profile = filepath.Join(store, generations.DefaultSystemProfile)
	}
	if boot == "" && own {
		boot = "/boot"
	}
	if boot == "none" {
		boot = ""
	}
	p, err := generations.Open(profile, store)
	return p, boot, err
}

// updateBootMenu rewrites the menu on the ESP at dir, if there is one.
func updateBootMenu(p *generations.Profile, dir string) error {
	if dir == "" {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "grub")); err != nil {
		fmt.Fprintf(os.Stderr, "warning: no boot menu in %s; the boot menu was not updated\n", dir)
		return nil
	}
	esp := bootloader.DirESP(dir)
	opts, err := bootloader.LoadOptions(esp)
	if err != nil {
		return err
	}
	cur, err := p.Current()
	if err != nil {
		return err
	}
	arch := bootloader.X86_64
	if sys, err := os.ReadFile(p.RealPath(cur.Target + "/system")); err == nil {
		if a, err := bootloader.ArchFromSystem(strings.TrimSpace(string(sys))); err == nil {
			arch = a
		}
	}
	bl, err := bootloader.New(arch, bootloader.UEFI)
	if err != nil {
		return err
	}
	menu, err := bootloader.Update(esp, bl, p, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "boot menu in %s: %d entries, default %q\n", dir, len(menu.Entries), defaultTitle(menu))
	return nil
}

func defaultTitle(m bootloader.Menu) string {
	for _, e := range m.Entries {
		if e.Default {
			return e.Title
		}
	}
	return ""
}

type generationJSON struct {
	Generation int    `json:"generation"`
	Date       string `json:"date"`
	Version    string `json:"version"`
	Toplevel   string `json:"toplevel"`
	Current    bool   `json:"current"`
}

func listGenerations(p *generations.Profile, asJSON bool) error {
	gens, err := p.List()
	if err != nil {
		return err
	}
	if asJSON {
		out := []generationJSON{}
		for _, g := range gens {
			out = append(out, generationJSON{g.Number, g.Time.UTC().Format(time.RFC3339), p.Version(g), g.Target, g.Current})
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, g := range gens {
		line := generations.FormatNixEnv(g, time.Local)
		if v := p.Version(g); v != "" {
			line = strings.TrimRight(line, " ") + "   " + v
			if g.Current {
				line = strings.Replace(line, "(current)   "+v, v+"   (current)", 1)
			}
		}
		fmt.Println(strings.TrimRight(line, " "))
	}
	return nil
}

// parseInterspersed parses flags that may follow positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
