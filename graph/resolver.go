// Package graph is Mosaic's GraphQL API: the schema (graph/*.graphqls), thin
// resolvers that parse, call a domain service and map the result, and the
// HTTP handler with its limits and error presenter.
package graph

import (
	"log/slog"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
)

// Resolver is where the API's dependencies are wired; one per server.
type Resolver struct {
	Content *content.Service
	// Experience decides variants; nil serves every block's default.
	Experience *experience.Service
	// Variants edits variants on drafts.
	Variants *experience.Editor
	Log      *slog.Logger
}
