// Command load drives the personalized page query of a real `mosaic dev`
// at a fixed concurrency for a bounded time and reports, side by side with
// a bare net/http server returning the same bytes from memory (driven by
// the same workers): requests per second, p50/p99 latency, the serving
// process's resident memory and cores, the response cache's hit ratio,
// If-None-Match revalidations (304), and — in the stale phases, POST and
// persisted GET — every answer's chosen variant checked against the
// instant it was sent while a campaign starts and ends under the load
// (issue 15).
//
//	go build -o bin/mosaic ./cmd/mosaic
//	go run ./bench/load -pages 200 -duration 20s
//	go run ./bench/load -pages 20000 -duration 20s
//	go run ./bench/load -records -rounds 4 -duration 10s
//	go run ./bench/load -behaviour -rounds 4 -duration 10s
//	go run ./bench/load -caps -rounds 2 -duration 10s
//	go run ./bench/load -caps -capsbase /tmp/base/mosaic -rounds 4 -duration 10s
//
// -records compares decision records on and off instead (records.go): a
// second mosaic dev runs with MOSAIC_DECISION_RECORDS=off and the phases
// alternate between the two. -behaviour does the same with behavioural
// segment rules (behaviour.go); -caps runs three servers — off,
// behavioural segments, behavioural segments and frequency caps set
// through the management API — with the same history and live campaign
// (caps.go); with -capsbase BIN the second is the capped server on BIN, a
// baseline build, beside the one on -bin.
//
// It starts `bin/mosaic dev` on a fresh data directory (its own PostgreSQL
// cluster) on a loopback port, writes the content with COPY (N pages × 8
// blocks whose variants target 3 segments, 3 devices and 3 channels), and
// stops everything it started when it ends. Nothing listens beyond
// 127.0.0.1 and every loop is bounded by -duration.
package main
