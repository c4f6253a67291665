package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/content"
)

// importFlags are `mosaic model import`'s own flags.
type importFlags struct {
	allowDrop string
	dryRun    bool
}

func (f *importFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.allowDrop, "allow-drop", "", "comma-separated type.field names whose content the import may drop (remove or retype)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print what the import would change, as JSON, and write nothing")
}

// auditRecorder is where the import's model changes are logged.
type auditRecorder interface {
	Record(ctx context.Context, e access.AuditEntry) error
}

// importModelFile imports file through the one path every model change
// takes (content.Service.Import): a field holding content is dropped only
// when --allow-drop names it. Each type created or updated is audited, as
// the same change made over GraphQL would be.
func importModelFile(ctx context.Context, svc *content.Service, audit auditRecorder, file string, f importFlags, stdout io.Writer) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	m, err := content.ParseModel(data)
	if err != nil {
		return err
	}
	opt := content.ImportOptions{DryRun: f.dryRun}
	for _, n := range strings.Split(f.allowDrop, ",") {
		if n = strings.TrimSpace(n); n != "" {
			opt.AllowDrop = append(opt.AllowDrop, n)
		}
	}
	rep, err := svc.Import(ctx, m, opt)
	if err != nil {
		return fmt.Errorf("%w (--allow-drop type.field lets the import drop a field's content; --dry-run shows every change)", err)
	}
	if f.dryRun {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	actor := "cli:" + os.Getenv("USER")
	for _, group := range []struct {
		action string
		keys   []string
	}{{"createContentType", rep.Created}, {"updateContentType", rep.Updated}} {
		for _, key := range group.keys {
			v := rep.Versions[key]
			e := access.AuditEntry{Actor: actor, ActorKind: "cli", Action: group.action, EntityType: "ContentType", EntityID: key,
				AfterVersion: &v[1], Detail: map[string]any{"source": "mosaic model import", "file": file, "diff": rep.Diffs[key]}}
			if v[0] > 0 {
				e.BeforeVersion = &v[0]
			}
			if len(opt.AllowDrop) > 0 {
				e.Detail["allowDrop"] = opt.AllowDrop
			}
			if err := audit.Record(ctx, e); err != nil {
				return fmt.Errorf("auditing the import of %q: %w", key, err)
			}
		}
	}
	fmt.Fprintf(stdout, "created %d, updated %d, unchanged %d\n", len(rep.Created), len(rep.Updated), len(rep.Unchanged))
	return nil
}
