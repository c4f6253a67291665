// Package replicas runs real `mosaic serve` processes — the binary built
// from this checkout — on one database, for tests and load scripts that
// need what only separate processes show: leader election across
// replicas, LISTEN/NOTIFY between them, a replica killed with SIGKILL —
// and an external NATS JetStream cluster of nats-server processes for the
// event log (nats.go), whose nodes a test can kill as well.
package replicas
