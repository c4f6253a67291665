package graph

import "github.com/mosaichq/mosaic/graph/model"

// Short names for complexity function signatures.
type (
	modelEntryFilter       = model.EntryFilter
	modelEntrySort         = model.EntrySort
	modelExperienceContext = model.ExperienceContext
)
