// Package bench holds Mosaic's benchmarks that span packages (the content
// read path over a real PostgreSQL) and the load scripts beside them.
//
// Run them with `make bench`, or for this package alone:
//
//	go run ./internal/tools/testenv -- go test -run '^$' -bench . -benchmem ./bench/...
package bench
