package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// runVersion prints what this binary was built from: the module version
// (a release tag, a pseudo-version, or "(devel)"), the VCS commit and
// whether the tree had local changes, and the Go toolchain.
func runVersion(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("mosaic version takes no arguments, got %q", args)
	}
	info, ok := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, versionLine(info, ok))
	return nil
}

func versionLine(info *debug.BuildInfo, ok bool) string {
	version, commit, when, modified := "(devel)", "unknown", "", false
	if ok {
		if v := info.Main.Version; v != "" {
			version = v
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	line := "mosaic " + version + " (commit " + commit
	if when != "" {
		line += ", " + when
	}
	if modified {
		line += ", with local changes"
	}
	return line + ", " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}
