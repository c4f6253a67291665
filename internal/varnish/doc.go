// Package varnish runs a real Varnish Cache — Debian's varnishd with the
// xkey module of varnish-modules — in front of Mosaic replicas, for tests
// and load scripts: the CDN of a scaled-out deployment, with the VCL such
// a deployment would use (mosaic.vcl: a Go template over the replicas'
// addresses; the README's scaling-out section points operators at it).
// `make test` installs the packages (scripts/ensure-varnish.sh).
package varnish
