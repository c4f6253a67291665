package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The bare server: what Go's net/http does with the same bytes from
// memory and nothing else. It runs as its own process (this program
// re-executed with `bare`), so its memory and cores are measured as
// mosaic's are and apart from the load generator's.

// bareETag is the bare server's validator for body.
func bareETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// runBare serves body (read from file) at every path until killed.
func runBare(addr, file string) error {
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	etag := bareETag(body)
	length := strconv.Itoa(len(body))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // a POST's body is read, as mosaic reads it
		hd := w.Header()
		hd.Set("Content-Type", "application/json")
		hd.Set("ETag", etag)
		hd.Set("Cache-Control", "public, max-age=60")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		hd.Set("Content-Length", length)
		_, _ = w.Write(body)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	return srv.Serve(ln)
}

// bareProc is a running bare server.
type bareProc struct {
	cmd  *exec.Cmd
	base string
}

func startBare(body []byte) (*bareProc, error) {
	f, err := os.CreateTemp("", "mosaic-load-bare-*.json")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name()) // read at start
	if _, err := f.Write(body); err != nil {
		return nil, err
	}
	_ = f.Close()
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "bare", "127.0.0.1:0", f.Name())
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, errors.New("bare server did not start")
	}
	return &bareProc{cmd: cmd, base: "http://" + strings.TrimSpace(line)}, nil
}

func (b *bareProc) stop() {
	_ = b.cmd.Process.Kill()
	_ = b.cmd.Wait()
}
