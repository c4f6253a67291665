package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

var majorSuffix = regexp.MustCompile(`^v[0-9]+$`)

// toolBinary returns bin/tools/NAME-VERSION of the module being tested
// (NAME: the module path's last element), installing module@version there
// with `go install` when missing. what says what it is, for the log line.
func toolBinary(ctx context.Context, log *slog.Logger, module, version, what string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("locating the module: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("locating the module: not inside one")
	}
	name := path.Base(module)
	if majorSuffix.MatchString(name) { // .../v2: the binary is named by the element before
		name = path.Base(path.Dir(module))
	}
	tools := filepath.Join(filepath.Dir(gomod), "bin", "tools")
	bin := filepath.Join(tools, name+"-"+version)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	log.WarnContext(ctx, "installing "+what, "module", module+"@"+version)
	tmp, err := os.MkdirTemp("", name+"-install-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	install := exec.CommandContext(ctx, "go", "install", module+"@"+version)
	install.Env = append(os.Environ(), "GOBIN="+tmp)
	if out, err := install.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s@%s: %w\n%s", module, version, err, out)
	}
	if err := os.MkdirAll(tools, 0o755); err != nil {
		return "", err
	}
	// Rename into place last, so a concurrent run never sees half a binary.
	staged := bin + ".tmp-" + randomHex(4)
	if err := copyFile(filepath.Join(tmp, name), staged); err != nil {
		return "", err
	}
	return bin, os.Rename(staged, bin)
}
