package pid1

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/frazil/frazil/init/activation"
	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
	"github.com/vishvananda/netlink"
)

// network brings up loopback, the static configuration and resolv.conf,
// and starts DHCP clients in the background (boot does not wait for them).
func (s *system) network() error {
	var errs []error
	if err := linkUp("lo"); err != nil {
		errs = append(errs, err)
	}
	n := s.data.Network
	for _, iface := range n.Interfaces {
		if err := configureStatic(iface); err != nil {
			errs = append(errs, err)
		}
		if iface.DHCP {
			s.startDHCP(iface.Name)
		}
	}
	if n.DefaultGateway != "" {
		if err := defaultRoute(n.DefaultGateway); err != nil {
			errs = append(errs, err)
		}
	}
	if n.DHCP {
		s.dhcpOthers(n.Interfaces)
	}
	if len(n.Nameservers) > 0 {
		<-s.activated // /etc must be in place
		if err := writeResolvConf(n.Nameservers); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func linkUp(name string) error {
	l, err := netlink.LinkByName(name)
	if err != nil {
		return fmt.Errorf("interface %s: %w", name, err)
	}
	if err := netlink.LinkSetUp(l); err != nil {
		return fmt.Errorf("interface %s up: %w", name, err)
	}
	return nil
}

// configureStatic brings an interface up with its addresses.
func configureStatic(iface activation.Interface) error {
	l, err := waitLink(iface.Name, 5*time.Second)
	if err != nil {
		return err
	}
	for _, a := range iface.Addresses {
		addr, err := netlink.ParseAddr(a)
		if err != nil {
			return fmt.Errorf("interface %s: address %q: %w", iface.Name, a, err)
		}
		if err := netlink.AddrReplace(l, addr); err != nil {
			return fmt.Errorf("interface %s: add %s: %w", iface.Name, a, err)
		}
	}
	if err := netlink.LinkSetUp(l); err != nil {
		return fmt.Errorf("interface %s up: %w", iface.Name, err)
	}
	return nil
}

// waitLink waits for a driver to create the interface.
func waitLink(name string, timeout time.Duration) (netlink.Link, error) {
	deadline := time.Now().Add(timeout)
	for {
		l, err := netlink.LinkByName(name)
		if err == nil {
			return l, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("interface %s: %w", name, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func defaultRoute(gw string) error {
	ip := net.ParseIP(gw)
	if ip == nil {
		return fmt.Errorf("default gateway %q: not an IP address", gw)
	}
	if err := netlink.RouteReplace(&netlink.Route{Gw: ip}); err != nil {
		return fmt.Errorf("default route via %s: %w", gw, err)
	}
	return nil
}

// writeResolvConf writes /etc/resolv.conf unless the etc tree provides it.
func writeResolvConf(servers []string) error {
	if dest, err := os.Readlink("/etc/resolv.conf"); err == nil && strings.HasPrefix(dest, "/etc/static/") {
		return nil
	}
	var b strings.Builder
	for _, s := range servers {
		fmt.Fprintf(&b, "nameserver %s\n", s)
	}
	tmp := "/etc/.resolv.conf.tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, "/etc/resolv.conf")
}

// dhcpOthers runs DHCP on every ethernet-like interface not configured
// explicitly.
func (s *system) dhcpOthers(configured []activation.Interface) {
	links, err := netlink.LinkList()
	if err != nil {
		s.logf("dhcp: %v", err)
		return
	}
	skip := map[string]bool{"lo": true}
	for _, i := range configured {
		skip[i.Name] = true
	}
	for _, l := range links {
		if a := l.Attrs(); !skip[a.Name] && len(a.HardwareAddr) == 6 {
			s.startDHCP(a.Name)
		}
	}
}

// startDHCP supervises a DHCP client for one interface: it retries with
// backoff and renews at half the lease time, forever.
func (s *system) startDHCP(name string) {
	s.goSafe("dhcp "+name, func() {
		delay := time.Second
		for {
			lease, err := s.dhcpOnce(name)
			if err != nil {
				s.logf("dhcp %s: %v; retrying in %v", name, err, delay)
				time.Sleep(delay)
				delay = min(2*delay, time.Minute)
				continue
			}
			delay = time.Second
			time.Sleep(max(lease/2, 30*time.Second))
		}
	})
}

// dhcpOnce obtains a lease and applies it; it returns the lease time.
func (s *system) dhcpOnce(name string) (time.Duration, error) {
	if err := linkUp(name); err != nil {
		return 0, err
	}
	if !randomReady() {
		// DHCP transaction IDs come from getrandom, which blocks until
		// the kernel's generator is seeded.
		s.logf("dhcp %s: waiting for the kernel's random number generator (no %s, no hardware RNG?)", name, SeedPath)
	}
	if s.debug {
		s.logf("dhcp %s: requesting a lease", name)
	}
	c, err := nclient4.New(name, nclient4.WithTimeout(5*time.Second), nclient4.WithRetry(3))
	if err != nil {
		return 0, err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lease, err := c.Request(ctx)
	if err != nil {
		return 0, err
	}
	ack := lease.ACK
	l, err := netlink.LinkByName(name)
	if err != nil {
		return 0, err
	}
	mask := ack.SubnetMask()
	if mask == nil {
		mask = ack.YourIPAddr.DefaultMask()
	}
	leaseTime := ack.IPAddressLeaseTime(time.Hour)
	addr := &netlink.Addr{IPNet: &net.IPNet{IP: ack.YourIPAddr, Mask: mask}, ValidLft: int(leaseTime.Seconds()), PreferedLft: int(leaseTime.Seconds())}
	if err := netlink.AddrReplace(l, addr); err != nil {
		return 0, fmt.Errorf("add %s: %w", addr, err)
	}
	if r := ack.Router(); len(r) > 0 {
		if err := netlink.RouteReplace(&netlink.Route{Gw: r[0], LinkIndex: l.Attrs().Index}); err != nil {
			s.logf("dhcp %s: default route via %s: %v", name, r[0], err)
		}
	}
	if dns := ack.DNS(); len(dns) > 0 && len(s.data.Network.Nameservers) == 0 {
		var servers []string
		for _, d := range dns {
			servers = append(servers, d.String())
		}
		<-s.activated
		writeResolvConf(servers)
	}
	s.logf("dhcp %s: %s for %v", name, addr.IPNet, leaseTime)
	return leaseTime, nil
}
