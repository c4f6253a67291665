// Package jsonscan walks valid JSON without decoding it: the members of an
// object and the elements of an array as raw bytes. Hot paths use it to
// read only what they need of a document encoding/json already checked (a
// request's body, a row PostgreSQL stored as jsonb) — decoding everything
// into maps, then reading a few members, was most of what they cost.
//
// Every function assumes valid JSON (json.Valid, or jsonb): given
// anything else it may report a wrong boundary, never read out of range.
package jsonscan
