package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mosaichq/mosaic/content"
)

// runModel exports the content model as JSON, or imports one, so a model
// can live in git and move between environments.
func runModel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		return errors.New("usage: mosaic model export [flags] > model.json | mosaic model import [flags] FILE")
	}
	verb := args[0]
	cfg, fs, err := parseConfig("model "+verb, args[1:], stderr, nil)
	if err != nil {
		return err
	}
	var file string
	if verb == "import" {
		if fs.NArg() != 1 {
			return errors.New("usage: mosaic model import [flags] FILE")
		}
		file = fs.Arg(0)
	}
	cfg, log, stop, err := withDatabase(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer stop()
	a, err := openLocal(ctx, cfg, log)
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
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	m, err := content.ParseModel(data)
	if err != nil {
		return err
	}
	rep, err := a.Content.ImportModel(ctx, m)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %d, updated %d, unchanged %d\n", len(rep.Created), len(rep.Updated), len(rep.Unchanged))
	return nil
}
