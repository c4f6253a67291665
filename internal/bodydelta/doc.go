// Package bodydelta keeps a byte string as pieces of a reference: ranges
// copied from the reference and literal bytes — the copy/insert delta of
// VCDIFF (RFC 3284) and xdelta, without their encoding, so that putting
// a body back together is a few appends, no decoding. The response cache
// keeps the answers of one document to different visitor classes this
// way: they share their structure and most of their content, and differ
// in the variants chosen. (The delta libraries at hand — bsdiff, zstd
// with a dictionary — compress their output, and every cache hit would
// have to decompress it.)
//
// Split is exact or refuses: it puts the pieces back together and
// compares them with the body before answering.
package bodydelta
