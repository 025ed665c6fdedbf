package activation

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// accounts returns the declared users and groups plus root, nobody,
// nogroup and users (100) when they are not declared.
func accounts(d *Data) ([]User, []Group) {
	users := slices.Clone(d.Users)
	groups := slices.Clone(d.Groups)
	hasUser := func(n string) bool { return slices.ContainsFunc(users, func(u User) bool { return u.Name == n }) }
	hasGroup := func(n string) bool { return slices.ContainsFunc(groups, func(g Group) bool { return g.Name == n }) }
	if !hasGroup("root") {
		groups = append(groups, Group{Name: "root", GID: 0})
	}
	if !hasGroup("nogroup") {
		groups = append(groups, Group{Name: "nogroup", GID: 65534})
	}
	if !hasGroup("users") {
		groups = append(groups, Group{Name: "users", GID: 100})
	}
	if !hasUser("root") {
		users = append(users, User{Name: "root", UID: 0, Group: "root", Home: "/root", Shell: "/run/current-system/sw/bin/sh", Description: "System administrator"})
	}
	if !hasUser("nobody") {
		users = append(users, User{Name: "nobody", UID: 65534, Group: "nogroup", Home: "/var/empty", Description: "Unprivileged account"})
	}
	sort.SliceStable(users, func(i, j int) bool { return users[i].UID < users[j].UID })
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].GID < groups[j].GID })
	return users, groups
}

func validName(s string) bool {
	return s != "" && !strings.ContainsAny(s, ":\n,/ ")
}

func setupUsers(o *Options) error {
	users, groups := accounts(o.Data)
	var errs []error
	gid := map[string]int{}
	var groupLines []string
	members := map[string][]string{}
	for _, u := range users {
		for _, g := range u.ExtraGroups {
			members[g] = append(members[g], u.Name)
		}
	}
	for _, g := range groups {
		if !validName(g.Name) {
			errs = append(errs, fmt.Errorf("group %q: invalid name", g.Name))
			continue
		}
		gid[g.Name] = g.GID
		m := append(slices.Clone(g.Members), members[g.Name]...)
		sort.Strings(m)
		m = slices.Compact(m)
		groupLines = append(groupLines, fmt.Sprintf("%s:x:%d:%s", g.Name, g.GID, strings.Join(m, ",")))
	}
	oldHashes := readShadow(o.path("/etc/shadow"))
	var passwd, shadow []string
	var valid []User
	for _, u := range users {
		g, ok := gid[u.Group]
		if !validName(u.Name) || !ok {
			errs = append(errs, fmt.Errorf("user %q: invalid name or unknown group %q", u.Name, u.Group))
			continue
		}
		valid = append(valid, u)
		passwd = append(passwd, fmt.Sprintf("%s:x:%d:%d:%s:%s:%s", u.Name, u.UID, g, u.Description, u.Home, shellOf(u)))
		hash := u.HashedPassword
		if hash == "" {
			hash = oldHashes[u.Name]
		}
		if hash == "" {
			hash = "!"
		}
		shadow = append(shadow, fmt.Sprintf("%s:%s:1::::::", u.Name, hash))
	}
	for _, f := range []struct {
		name  string
		lines []string
		mode  os.FileMode
	}{{"/etc/group", groupLines, 0o644}, {"/etc/passwd", passwd, 0o644}, {"/etc/shadow", shadow, 0o600}} {
		if err := writeFileAtomic(o.path(f.name), []byte(strings.Join(f.lines, "\n")+"\n"), f.mode, 0, 0); err != nil {
			errs = append(errs, err)
		}
	}
	for _, u := range valid {
		if err := setupHome(o, u, gid[u.Group]); err != nil {
			errs = append(errs, fmt.Errorf("user %s: %w", u.Name, err))
		}
	}
	return errors.Join(errs...)
}

func shellOf(u User) string {
	switch {
	case u.Shell != "":
		return u.Shell
	case u.IsNormalUser:
		return "/run/current-system/sw/bin/sh"
	}
	return "/run/current-system/sw/bin/nologin"
}

// setupHome creates a normal user's home (owned by them, 0700) if missing,
// and writes their authorized SSH keys.
func setupHome(o *Options, u User, gid int) error {
	if (u.IsNormalUser || u.CreateHome) && u.Home != "" {
		home := o.path(u.Home)
		if _, err := os.Stat(home); os.IsNotExist(err) {
			if err := os.MkdirAll(home, 0o700); err != nil {
				return err
			}
			if os.Geteuid() == 0 {
				if err := os.Chown(home, u.UID, gid); err != nil {
					return err
				}
			}
		}
	}
	keys := o.path(filepath.Join("/etc/ssh/authorized_keys.d", u.Name))
	if len(u.AuthorizedKeys) == 0 {
		os.Remove(keys)
		return nil
	}
	return writeFileAtomic(keys, []byte(strings.Join(u.AuthorizedKeys, "\n")+"\n"), 0o444, 0, 0)
}

// readShadow returns the password hashes already on the machine.
func readShadow(path string) map[string]string {
	out := map[string]string{}
	data, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 2 && f[1] != "" && f[1] != "!" && f[1] != "*" {
			out[f[0]] = f[1]
		}
	}
	return out
}
