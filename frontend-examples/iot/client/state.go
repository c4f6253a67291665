package client

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// State is the directory the last good bundle and key set are kept in, so
// a display that boots while the server is down still plays. Nothing read
// back is trusted: the bundle is verified again against the saved keys.
// An empty Dir keeps nothing.
type State struct{ Dir string }

const (
	bundleFile = "bundle.json"
	keysFile   = "keys.json"
	assetsDir  = "assets"
)

// SaveBundle keeps the served bytes exactly, since they are what is signed.
func (s State) SaveBundle(doc []byte) error { return s.write(bundleFile, doc) }

// LoadBundle returns the saved bundle bytes, or nil when there are none.
func (s State) LoadBundle() ([]byte, error) { return s.read(bundleFile) }

// SaveKeys keeps the key set.
func (s State) SaveKeys(ks KeySet) error {
	b, err := json.Marshal(ks)
	if err != nil {
		return err
	}
	return s.write(keysFile, b)
}

// LoadKeys returns the saved key set (empty when there is none).
func (s State) LoadKeys() (KeySet, error) {
	var ks KeySet
	b, err := s.read(keysFile)
	if err != nil || b == nil {
		return ks, err
	}
	return ks, json.Unmarshal(b, &ks)
}

func (s State) read(name string) ([]byte, error) {
	if s.Dir == "" {
		return nil, nil
	}
	b, err := os.ReadFile(filepath.Join(s.Dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// write replaces name atomically: a power cut mid-write (displays get
// unplugged) must leave the old file, not half of the new one.
func (s State) write(name string, data []byte) error {
	if s.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(s.Dir, name), data)
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after the rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
