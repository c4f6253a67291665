package client

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A display restarted while the server is down plays its saved bundle,
// after verifying it again; an edited file is refused.
func TestStateRoundTrip(t *testing.T) {
	f := newFake(t)
	dir := t.TempDir()
	f.serve(lobby(3, t0))
	if _, err := f.client(Config{StateDir: dir}).Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	offline := Config{StateDir: dir, API: "http://127.0.0.1:1"} // nothing listens there

	if b := f.client(offline).Player().Bundle(); b == nil || b.Version != "3-0123456789abcdef" {
		t.Fatalf("restored %+v, want version 3", b)
	}

	bundlePath := filepath.Join(dir, bundleFile)
	good, _ := os.ReadFile(bundlePath)
	if err := os.WriteFile(bundlePath, bytes.Replace(good, []byte("Welcome"), []byte("Hacked!"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	offline.Log = logs.logger()
	if b := f.client(offline).Player().Bundle(); b != nil {
		t.Fatal("played a bundle edited on disk")
	}
	if !strings.Contains(logs.String(), "refusing the saved bundle") {
		t.Fatalf("the refusal was not logged:\n%s", logs)
	}

	// Swapping the saved key for an attacker's does not help: the bundle
	// names its key id, and that key is not the attacker's.
	_ = os.WriteFile(bundlePath, good, 0o600)
	ks, _ := State{Dir: dir}.LoadKeys()
	ks.Keys[0].X = newKey(t).jwk().X
	_ = State{Dir: dir}.SaveKeys(ks)
	offline.Log = nil
	if b := f.client(offline).Player().Bundle(); b != nil {
		t.Fatal("played a bundle against a swapped key")
	}
}

func TestStateWritesAtomically(t *testing.T) {
	dir := t.TempDir()
	s := State{Dir: filepath.Join(dir, "nested")}
	if err := s.SaveBundle([]byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveBundle([]byte("two")); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadBundle()
	if err != nil || string(got) != "two" {
		t.Fatalf("%q, %v", got, err)
	}
	entries, _ := os.ReadDir(s.Dir)
	if len(entries) != 1 {
		t.Fatalf("left temporary files: %v", entries)
	}
	if b, err := (State{}).LoadBundle(); b != nil || err != nil {
		t.Fatal("an empty State kept something")
	}
}
