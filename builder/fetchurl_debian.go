package builder

// This file defines the debian: URL scheme of builtin:fetchurl. A URL
// debian:pool/main/l/linux/linux-image-….deb names a file by its path in
// a Debian archive, not by a host: it is fetched from the archives apt is
// configured with (/etc/apt/sources.list and /etc/apt/sources.list.d/*),
// tried in order until one has it. The output hash pins the contents, so
// any mirror will do and no mirror's name is written into a derivation.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// aptDir is where apt's source lists are read from (tests change it).
var aptDir = "/etc/apt"

// openDebian opens a debian: URL from the first configured archive that
// has the file.
func openDebian(ctx context.Context, u *url.URL) (io.ReadCloser, error) {
	rel := strings.TrimLeft(u.Opaque+u.Path, "/")
	if rel == "" || strings.Contains(rel, "..") {
		return nil, fmt.Errorf("bad URL '%s': want debian:<path in the archive>, such as debian:pool/main/…/x.deb", u)
	}
	archives, err := AptArchives(aptDir)
	if err != nil {
		return nil, fmt.Errorf("unable to download '%s': %w", u, err)
	}
	if len(archives) == 0 {
		return nil, fmt.Errorf("unable to download '%s': no Debian archive is configured in %s/sources.list{,.d/*}", u, aptDir)
	}
	var errs []string
	for _, base := range archives {
		body, err := openURL(ctx, strings.TrimSuffix(base, "/")+"/"+rel)
		if err == nil {
			return body, nil
		}
		errs = append(errs, err.Error())
	}
	return nil, fmt.Errorf("unable to download '%s' from any configured archive:\n  %s", u, strings.Join(errs, "\n  "))
}

// AptArchives returns the base URIs of the enabled "deb" sources in
// dir/sources.list and dir/sources.list.d (one-line .list files and
// deb822 .sources files), in apt's order, without duplicates. Only
// http, https and file archives are kept.
func AptArchives(dir string) ([]string, error) {
	files := []string{filepath.Join(dir, "sources.list")}
	more, err := filepath.Glob(filepath.Join(dir, "sources.list.d", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(more)
	files = append(files, more...)
	var uris []string
	for _, f := range files {
		var got []string
		switch {
		case strings.HasSuffix(f, ".list"):
			got, err = readOneLineSources(f)
		case strings.HasSuffix(f, ".sources"):
			got, err = readDeb822Sources(f)
		default:
			continue
		}
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("apt sources %s: %w", f, err)
		}
		uris = append(uris, got...)
	}
	return dedupArchives(uris), nil
}

func dedupArchives(uris []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range uris {
		u = strings.TrimSuffix(u, "/")
		p, err := url.Parse(u)
		if err != nil || seen[u] || !archiveURL(p) {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}

// archiveURL reports whether an archive URI is one fetchurl can use: http
// or https with a host, or file with a path.
func archiveURL(u *url.URL) bool {
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "file":
		return u.Path != ""
	}
	return false
}

// readOneLineSources reads "deb [options] uri suite components" lines.
func readOneLineSources(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var uris []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "deb" {
			continue
		}
		rest := fields[1:]
		if strings.HasPrefix(rest[0], "[") {
			for len(rest) > 0 && !strings.HasSuffix(rest[0], "]") {
				rest = rest[1:]
			}
			if len(rest) < 2 {
				continue
			}
			rest = rest[1:]
		}
		uris = append(uris, rest[0])
	}
	return uris, sc.Err()
}

// readDeb822Sources reads the stanzas of a .sources file: each enabled
// stanza whose Types include deb contributes its URIs.
func readDeb822Sources(file string) ([]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var uris []string
	for _, stanza := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n\n") {
		fields := map[string]string{}
		key := ""
		for _, line := range strings.Split(stanza, "\n") {
			switch {
			case strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "":
			case line[0] == ' ' || line[0] == '\t':
				if key != "" {
					fields[key] += " " + strings.TrimSpace(line)
				}
			default:
				k, v, _ := strings.Cut(line, ":")
				key = strings.ToLower(strings.TrimSpace(k))
				fields[key] = strings.TrimSpace(v)
			}
		}
		if strings.EqualFold(fields["enabled"], "no") || !hasWord(fields["types"], "deb") {
			continue
		}
		uris = append(uris, strings.Fields(fields["uris"])...)
	}
	return uris, nil
}

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}
