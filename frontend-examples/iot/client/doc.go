// Package client keeps one display showing the right frame of a signed
// Mosaic screen bundle, on time, whether or not the server is reachable.
//
// It fetches GET /screens/{slug}/bundle, refuses anything whose Ed25519
// signature (keys from /.well-known/mosaic-bundle-keys.json) does not
// verify or that is older than what it already has, keeps the last good
// bundle on disk, and switches frames at their boundaries from a local
// timer corrected by the server's clock. Live events (/events) only make
// it refetch sooner; heartbeats report what it shows. It depends on the
// standard library alone, so a device build pulls in nothing else.
package client
