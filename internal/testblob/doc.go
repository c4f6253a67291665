// Package testblob gives tests real blob stores: a local one in a temporary
// directory with its presign handler served, and an S3 one on the
// S3-compatible server `make test` starts (TEST_S3_* variables), each test
// in a bucket of its own that is emptied and removed afterwards.
package testblob
