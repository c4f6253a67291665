package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"

	"github.com/mosaichq/mosaic/internal/app"
)

// runModel exports the content model as JSON, or imports one, so a model
// can live in git and move between environments.
func runModel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		return errors.New("usage: mosaic model export [flags] > model.json | mosaic model import [--allow-drop type.field,...] [--dry-run] [flags] FILE")
	}
	verb := args[0]
	var imp importFlags
	var extra func(*flag.FlagSet)
	if verb == "import" {
		extra = imp.register
	}
	cfg, fs, err := parseConfig("model "+verb, args[1:], stderr, extra)
	if err != nil {
		return err
	}
	var file string
	if verb == "import" {
		if fs.NArg() != 1 {
			return errors.New("usage: mosaic model import [--allow-drop type.field,...] [--dry-run] [flags] FILE")
		}
		file = fs.Arg(0)
	}
	cfg, log, stop, err := withDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer stop()
	// Beside a running `mosaic dev`: the database only, not its index.
	a, err := openLocal(ctx, cfg, log, app.ServicesOnly())
	if err != nil {
		return err
	}
	defer a.Close()
	if verb == "export" {
		m, err := a.Content.ExportModel(ctx)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	return importModelFile(ctx, a.Content, a.Access, file, imp, stdout)
}
