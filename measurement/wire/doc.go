// Package wire is how client events and decision records travel between
// processes: the durable log's messages (measurement/eventlog) and the
// batches replicas share (measurement/recommend).
//
// A message is a compact binary encoding, appended by hand: a version
// byte (1), a kind byte ('E' events, 'D' decision records), the count,
// then each item's fields in a fixed order — strings and byte strings as
// a length and their bytes, times as Unix seconds and nanoseconds (read
// back in UTC), numbers as varints, a slice as its length plus one (0 is
// nil, so nil and empty stay apart as the store tells them apart). It
// replaced JSON (encoding/json, reflection) because a decision record
// cost ~21 µs to marshal and as much again to read back, on the same
// cores that serve delivery; the hand-written form costs a few.
//
// Reading takes every form a log may still hold: this encoding, and the
// JSON earlier versions appended (an array of items, or one object), so
// a replica upgraded while messages wait in the stream loses none. A
// version byte this code does not know is an error: the message is left
// for a replica that does (measurement/eventlog puts new versions on new
// subjects for that reason). Encoding never fails: every value of
// measurement.Event and measurement.Decision has a form.
package wire
