// Package ssetest is a small Server-Sent Events client for tests and load
// scripts: it opens a stream and hands out one frame at a time, each with
// the instant it arrived.
package ssetest
