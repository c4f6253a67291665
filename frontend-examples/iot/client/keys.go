package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
)

// KeysPath is where the server publishes its bundle keys.
const KeysPath = "/.well-known/mosaic-bundle-keys.json"

// maxKeysBytes bounds the key set: a handful of keys is a few hundred bytes.
const maxKeysBytes = 64 << 10

// keyring is the key set bundles are verified with: the saved one at
// start, refetched when a bundle names a key it lacks (a rotation).
type keyring struct {
	mu    sync.Mutex
	set   KeySet
	fetch func(context.Context) (KeySet, error)
	state State
	log   *slog.Logger
}

func (k *keyring) get() KeySet {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.set
}

// verify checks doc with the known keys and, if it names another key,
// refetches the set once and tries again: a rotation is followed, any
// other failure is a refusal. The refetched set replaces the old one, so
// a key the server stops publishing stops being trusted too.
func (k *keyring) verify(ctx context.Context, doc []byte) error {
	err := Verify(doc, k.get())
	var unknown *UnknownKeyError
	if !errors.As(err, &unknown) || k.fetch == nil {
		return err
	}
	set, ferr := k.fetch(ctx)
	if ferr != nil {
		return fmt.Errorf("%w; refetching the keys: %v", err, ferr)
	}
	k.mu.Lock()
	k.set = set
	k.mu.Unlock()
	if err := k.state.SaveKeys(set); err != nil {
		k.log.Warn("saving the key set", "error", err)
	}
	k.log.Info("fetched the bundle keys", "keys", len(set.Keys), "wanted", unknown.KeyID)
	return Verify(doc, set)
}

// fetchKeys reads the published key set.
func (c *Client) fetchKeys(ctx context.Context) (KeySet, error) {
	var ks KeySet
	resp, err := c.do(ctx, http.MethodGet, KeysPath, nil, nil)
	if err != nil {
		return ks, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ks, httpError(resp)
	}
	body, err := readLimited(resp.Body, maxKeysBytes)
	if err != nil {
		return ks, fmt.Errorf("reading the key set: %w", err)
	}
	if err := json.Unmarshal(body, &ks); err != nil {
		return ks, fmt.Errorf("the key set is not JSON: %w", err)
	}
	return ks, nil
}
