// Package control is the device's control API: HTTP with JSON over the unix
// socket /run/frazil/control.sock, served by PID 1 and used by the frazil
// CLI on the device.
//
//	GET  /v1/services                      [ServiceInfo…] in start order
//	GET  /v1/services/{name}/logs?n=N      the last N lines (text); &follow=1 streams
//	POST /v1/services/{name}/start|stop|restart
//	POST /v1/system/poweroff|reboot|halt
//	POST /v1/system/switch {"toplevel": "/nix/store/…"}   activate a generation: supervisor.Changes
//
// Errors are JSON {"error": "…"} with 404 for an unknown service and 400
// for a bad request. The socket is mode 0600: only root may use it.
package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/frazil/frazil/init/supervisor"
)

// SocketPath is where PID 1 listens.
const SocketPath = "/run/frazil/control.sock"

// Backend is what the API controls: PID 1's supervisor and power actions.
type Backend interface {
	Status() []supervisor.Status
	Logs(name string, n int) ([]string, error)
	Follow(ctx context.Context, name string, n int, emit func(string) error) error
	StartService(name string) error
	StopService(name string) error
	RestartService(name string) error
	// Power starts a poweroff, reboot or halt; it returns before it happens.
	Power(action string) error
	// Switch activates another generation while running (its /etc,
	// users, /bin/sh, /run/current-system, then its services) and says
	// which services it stopped, started and restarted.
	Switch(toplevel string) (supervisor.Changes, error)
}

// SwitchRequest is the body of POST /v1/system/switch.
type SwitchRequest struct {
	Toplevel string `json:"toplevel"`
}

// ErrBadToplevel is wrapped by Switch errors about the toplevel given
// (not a generation): the API answers them with 400.
var ErrBadToplevel = errors.New("not a toplevel")

// ServiceInfo is a service's status as the API reports it.
type ServiceInfo struct {
	supervisor.Status
	UptimeSeconds float64 `json:"uptimeSeconds,omitempty"`
}

// Handler serves the API for b.
func Handler(b Backend) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/services", func(w http.ResponseWriter, r *http.Request) {
		var out []ServiceInfo
		now := time.Now()
		for _, s := range b.Status() {
			info := ServiceInfo{Status: s}
			if s.PID != 0 && !s.StartedAt.IsZero() {
				info.UptimeSeconds = now.Sub(s.StartedAt).Seconds()
			}
			out = append(out, info)
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET /v1/services/{name}/logs", func(w http.ResponseWriter, r *http.Request) {
		serveLogs(b, w, r)
	})
	mux.HandleFunc("POST /v1/services/{name}/{action}", func(w http.ResponseWriter, r *http.Request) {
		ops := map[string]func(string) error{"start": b.StartService, "stop": b.StopService, "restart": b.RestartService}
		op := ops[r.PathValue("action")]
		if op == nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("unknown action %q (want start, stop or restart)", r.PathValue("action")))
			return
		}
		if err := op(r.PathValue("name")); err != nil {
			writeError(w, statusOf(err), err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"result": "ok"})
	})
	mux.HandleFunc("POST /v1/system/switch", func(w http.ResponseWriter, r *http.Request) {
		var req SwitchRequest
		dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil || req.Toplevel == "" {
			writeError(w, http.StatusBadRequest, fmt.Errorf("switch: want {\"toplevel\": \"/nix/store/…\"}: %v", err))
			return
		}
		ch, err := b.Switch(req.Toplevel)
		if err != nil {
			code := http.StatusInternalServerError
			if errors.Is(err, ErrBadToplevel) {
				code = http.StatusBadRequest
			}
			writeError(w, code, err)
			return
		}
		writeJSON(w, http.StatusOK, ch)
	})
	mux.HandleFunc("POST /v1/system/{action}", func(w http.ResponseWriter, r *http.Request) {
		if err := b.Power(r.PathValue("action")); err != nil {
			writeError(w, http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"result": "ok"})
	})
	return mux
}

func serveLogs(b Backend, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil {
		n = 0
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.URL.Query().Get("follow") != "1" {
		lines, err := b.Logs(name, n)
		if err != nil {
			writeError(w, statusOf(err), err)
			return
		}
		for _, l := range lines {
			io.WriteString(w, l+"\n")
		}
		return
	}
	if _, err := b.Logs(name, 1); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	flusher, _ := w.(http.Flusher)
	b.Follow(r.Context(), name, n, func(l string) error {
		if _, err := io.WriteString(w, l+"\n"); err != nil {
			return err
		}
		if flusher != nil {
			flusher.Flush()
		}
		return nil
	})
}

func statusOf(err error) int {
	if errors.Is(err, supervisor.ErrUnknownService) {
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

// Listen opens the unix socket at path (replacing a stale one), mode 0600.
func Listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	return l, nil
}

// Client talks to the control socket.
type Client struct {
	http *http.Client
}

// NewClient returns a client for the socket at path.
func NewClient(path string) *Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", path)
	}}
	return &Client{http: &http.Client{Transport: tr}}
}

func (c *Client) do(ctx context.Context, method, path string) (*http.Response, error) {
	return c.doBody(ctx, method, path, nil)
}

func (c *Client) doBody(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://frazil"+path, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w (is this a Frazil machine, and are you root?)", err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		if e.Error == "" {
			e.Error = resp.Status
		}
		return nil, errors.New(e.Error)
	}
	return resp, nil
}

// Services lists the services.
func (c *Client) Services(ctx context.Context) ([]ServiceInfo, error) {
	resp, err := c.do(ctx, "GET", "/v1/services")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []ServiceInfo
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("services: %w", err)
	}
	return out, nil
}

// Logs copies the last n lines of a service's output to w (all the ring
// holds when n <= 0), then, with follow, new lines until ctx ends.
func (c *Client) Logs(ctx context.Context, name string, n int, follow bool, w io.Writer) error {
	q := url.Values{"n": {strconv.Itoa(n)}}
	if follow {
		q.Set("follow", "1")
	}
	resp, err := c.do(ctx, "GET", "/v1/services/"+url.PathEscape(name)+"/logs?"+q.Encode())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if _, err := fmt.Fprintln(w, sc.Text()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil && ctx.Err() == nil && !strings.Contains(err.Error(), "closed") {
		return err
	}
	return nil
}

// Service starts, stops or restarts a service.
func (c *Client) Service(ctx context.Context, name, action string) error {
	resp, err := c.do(ctx, "POST", "/v1/services/"+url.PathEscape(name)+"/"+action)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Power asks PID 1 to power off, reboot or halt.
func (c *Client) Power(ctx context.Context, action string) error {
	resp, err := c.do(ctx, "POST", "/v1/system/"+action)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Switch asks PID 1 to activate the generation at toplevel.
func (c *Client) Switch(ctx context.Context, toplevel string) (supervisor.Changes, error) {
	body, err := json.Marshal(SwitchRequest{Toplevel: toplevel})
	if err != nil {
		return supervisor.Changes{}, err
	}
	resp, err := c.doBody(ctx, "POST", "/v1/system/switch", strings.NewReader(string(body)))
	if err != nil {
		return supervisor.Changes{}, err
	}
	defer resp.Body.Close()
	var ch supervisor.Changes
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		return supervisor.Changes{}, fmt.Errorf("switch: %w", err)
	}
	return ch, nil
}
