package varnish

import (
	"bytes"
	_ "embed"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"
)

//go:embed mosaic.vcl
var vclTemplate string

// Binary is where Debian installs varnishd.
const Binary = "/usr/sbin/varnishd"

// StartTimeout bounds varnishd's start-up.
const StartTimeout = 30 * time.Second

// Cache is a running varnishd.
type Cache struct {
	// URL is http://127.0.0.1:<port>.
	URL  string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	work string
}

type backend struct{ Name, Host, Port string }

// VCL renders mosaic.vcl for the given replica URLs (http://host:port).
func VCL(replicas []string) (string, error) {
	var data struct{ Backends []backend }
	for i, r := range replicas {
		u, err := url.Parse(r)
		if err != nil {
			return "", fmt.Errorf("replica %q: %w", r, err)
		}
		data.Backends = append(data.Backends, backend{Name: fmt.Sprintf("replica%d", i+1), Host: u.Hostname(), Port: u.Port()})
	}
	var out strings.Builder
	if err := template.Must(template.New("vcl").Parse(vclTemplate)).Execute(&out, data); err != nil {
		return "", err
	}
	return out.String(), nil
}

// Start runs varnishd in front of replicas on a free loopback port and
// returns once it answers. It is stopped when the test ends.
func Start(t testing.TB, replicas ...string) *Cache {
	t.Helper()
	if _, err := os.Stat(Binary); err != nil {
		t.Fatalf("varnishd is not installed (%v): run scripts/ensure-varnish.sh (make test does)", err)
	}
	vcl, err := VCL(replicas)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	vclFile := filepath.Join(dir, "mosaic.vcl")
	if err := os.WriteFile(vclFile, []byte(vcl), 0o644); err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	c := &Cache{URL: "http://127.0.0.1:" + port, log: &bytes.Buffer{}, work: filepath.Join(dir, "work")}
	// -F: foreground, ended with the test; -j none: no privilege drop (tests
	// run as root or as a plain user alike); -T none: no admin port.
	c.cmd = exec.Command(Binary, "-F", "-j", "none", "-T", "none", "-a", "127.0.0.1:"+port,
		"-f", vclFile, "-n", c.work, "-s", "malloc,64m",
		"-p", "default_grace=0s", "-p", "default_ttl=0s")
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("starting varnishd: %v", err)
	}
	t.Cleanup(c.stop)
	deadline := time.Now().Add(StartTimeout)
	for {
		resp, err := http.Get(c.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("varnishd did not answer within %s: %v\n%s", StartTimeout, err, c.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Purge purges every cached answer carrying any of keys (xkey).
func (c *Cache) Purge(keys []string) error {
	req, err := http.NewRequest("PURGE", c.URL+"/", nil)
	if err != nil {
		return err
	}
	req.Header.Set("xkey-purge", strings.Join(keys, " "))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("purge %v: %s", keys, resp.Status)
	}
	return nil
}

// Transactions dumps Varnish's log of the recent requests matching
// query (a varnishlog -q expression), for a failing test to show.
func (c *Cache) Transactions(query string) string {
	out, err := exec.Command("/usr/bin/varnishlog", "-d", "-n", c.work, "-g", "request", "-q", query).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("varnishlog: %v\n%s", err, out)
	}
	return string(out)
}

func (c *Cache) stop() {
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}
