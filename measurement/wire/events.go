package wire

import "github.com/mosaichq/mosaic/measurement"

// AppendEvents appends the message of evs to dst.
func AppendEvents(dst []byte, evs []measurement.Event) []byte {
	return encode(dst, kindEvents, evs, eventFields)
}

// Events reads a message of events: this package's encoding, or the JSON
// of earlier versions. It never returns an empty list without an error.
func Events(data []byte) ([]measurement.Event, error) {
	return decode(data, kindEvents, false, eventFields)
}

// eventFields is an event on the wire, in order. A field added to
// measurement.Event goes here (TestEveryFieldSurvives), at the end or
// with a new Version.
func eventFields(c *codec, e *measurement.Event) {
	c.str(&e.ID)
	typ := string(e.Type) // written from, or read into
	c.oneOf(&typ, eventTypes)
	e.Type = measurement.Type(typ)
	c.str(&e.VisitorID)
	c.str(&e.UserID)
	c.time(&e.Time)
	c.time(&e.ReceivedAt)
	c.str(&e.DecisionID)
	c.str(&e.BlockID)
	c.str(&e.Entry)
	c.str(&e.Goal)
	c.optFloat(&e.Value)
	c.str(&e.Currency)
	c.str(&e.Name)
	c.raw(&e.Properties)
	c.raw(&e.Traits)
	strs(c, &e.Granted, false)
	strs(c, &e.Withdrawn, false)
}

var eventTypes = func() []string {
	var ts []string
	for _, t := range measurement.Types() {
		ts = append(ts, string(t))
	}
	return ts
}()
