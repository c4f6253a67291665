package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// The S3-compatible server the storage tests use: Versity Gateway over a
// POSIX directory. It is a real server (signatures, multipart uploads,
// presigned URLs), installed with `go install` from the module proxy into
// bin/tools on first use, like the Makefile's other tools.
const (
	versityModule  = "github.com/versity/versitygw/cmd/versitygw"
	versityVersion = "v1.8.0"
	testS3Region   = "us-east-1"
)

type s3server struct {
	dir string
	cmd *exec.Cmd
	log *slog.Logger
}

func (*s3server) name() string { return "s3" }

func (s *s3server) start(ctx context.Context, log *slog.Logger) ([]string, error) {
	s.log = log
	bin, err := versityBinary(ctx, log)
	if err != nil {
		return nil, err
	}
	if s.dir, err = os.MkdirTemp("", "mosaic-s3-"); err != nil {
		return nil, err
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	access, secret := "mosaic-"+randomHex(6), randomHex(20)
	data := filepath.Join(s.dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(s.dir, "versitygw.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child keeps its own descriptor
	s.cmd = exec.Command(bin, "--port", addr, "posix", data)
	s.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+access, "ROOT_SECRET_KEY="+secret)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	// Its own process group: a Ctrl-C meant for the tests does not reach it
	// before stop does.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	if err := waitListening(ctx, addr, exited); err != nil {
		logTail, _ := os.ReadFile(logFile.Name())
		return nil, fmt.Errorf("versitygw on %s: %w\n%s", addr, err, logTail)
	}
	go func() { <-exited }() // reaped; stop signals the group
	log.InfoContext(ctx, "S3-compatible server ready", "TEST_S3_ENDPOINT", addr, "dir", s.dir)
	return []string{"TEST_S3_ENDPOINT=" + addr, "TEST_S3_ACCESS_KEY=" + access,
		"TEST_S3_SECRET_KEY=" + secret, "TEST_S3_REGION=" + testS3Region}, nil
}

func (s *s3server) stop(ctx context.Context) error {
	if s.cmd != nil && s.cmd.Process != nil {
		pgid := s.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			if syscall.Kill(-pgid, 0) != nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	if s.dir != "" {
		return os.RemoveAll(s.dir)
	}
	return nil
}

// versityBinary returns bin/tools/versitygw-VERSION of the module being
// tested, installing it when missing.
func versityBinary(ctx context.Context, log *slog.Logger) (string, error) {
	return toolBinary(ctx, log, versityModule, versityVersion, "the S3-compatible test server (once; about a minute)")
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitListening(ctx context.Context, addr string, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("exited before listening: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("not listening: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
