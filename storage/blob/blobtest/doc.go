// Package blobtest is the conformance suite every blob.Store passes: the
// local filesystem store and the S3 store run the same tests, so code above
// the interface may rely on one behaviour.
package blobtest
