package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version and commit are stamped by `make dist` (-ldflags -X), which
// builds with -buildvcs=false so that the binary is the same with or
// without a .git directory (a container build context has none): then they
// are what `mosaic version` prints. Left empty, the build info's module
// version and VCS settings are used.
var version, commit string

// runVersion prints what this binary was built from: the module version
// (a release tag, a pseudo-version, or "(devel)"), the VCS commit and
// whether the tree had local changes, and the Go toolchain.
func runVersion(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("mosaic version takes no arguments, got %q", args)
	}
	info, ok := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, stampedLine(info, ok))
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
	return formatVersion(version, commit, when, modified)
}

// stampedLine is versionLine for a binary built by `make dist`: the
// stamped version and commit win over the (absent) VCS settings.
func stampedLine(info *debug.BuildInfo, ok bool) string {
	line := versionLine(info, ok)
	if version == "" && commit == "" {
		return line
	}
	v, c := version, commit
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		c = "unknown"
	}
	return formatVersion(v, c, "", false)
}

func formatVersion(version, commit, when string, modified bool) string {
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
