package wire

import "github.com/mosaichq/mosaic/measurement"

// AppendDecisions appends the message of ds to dst.
func AppendDecisions(dst []byte, ds []measurement.Decision) []byte {
	return encode(dst, kindDecisions, ds, decisionFields)
}

// Decisions reads a message of decision records: this package's
// encoding, or the JSON of earlier versions. It never returns an empty
// list without an error.
func Decisions(data []byte) ([]measurement.Decision, error) {
	return decode(data, kindDecisions, true, decisionFields)
}

// decisionFields is a decision record on the wire, in order. A field
// added to measurement.Decision or its blocks goes here
// (TestEveryFieldSurvives), at the end of its struct's walk or with a new
// Version.
func decisionFields(c *codec, d *measurement.Decision) {
	c.str(&d.ID)
	c.time(&d.Time)
	c.str(&d.VisitorID)
	c.str(&d.UserID)
	c.interned(&d.Channel)
	c.interned(&d.Device)
	c.interned(&d.Locale)
	strs(c, &d.Segments, true)
	c.bool(&d.Consent)
	strs(c, &d.Purposes, true)
	c.interned(&d.EntryID)
	c.interned(&d.EntrySlug)
	c.int(&d.EntryVersion)
	slice(c, &d.Blocks, blockFields)
}

func blockFields(c *codec, b *measurement.BlockDecision) {
	c.interned(&b.BlockID)
	c.interned(&b.Variant)
	c.interned(&b.Experiment)
	c.interned(&b.Arm)
	c.interned(&b.Campaign)
	c.interned(&b.GlobalID)
	c.interned(&b.Cohort)
	c.interned(&b.Reason)
	slice(c, &b.Suppressed, suppressedFields)
}

func suppressedFields(c *codec, s *measurement.Suppressed) {
	c.interned(&s.Variant)
	c.interned(&s.Campaign)
	c.interned(&s.Experiment)
	c.interned(&s.Scope)
	c.bool(&s.Pending)
}
