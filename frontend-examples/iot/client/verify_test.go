package client

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestVerify(t *testing.T) {
	k, other := newKey(t), newKey(t)
	doc := k.sign(t, lobby(7, t0))
	sigAt := bytes.LastIndex(doc, []byte(`,"signature":"`))
	sig := string(doc[sigAt+len(`,"signature":"`) : len(doc)-2])

	short := newKey(t).jwk()
	short.Kid, short.X = k.kid, short.X[:20]
	cases := []struct {
		name string
		doc  []byte
		keys KeySet
		want error
	}{
		{"good", doc, keySet(k), nil},
		{"good among others", doc, keySet(other, k), nil},
		{"tampered byte", bytes.Replace(doc, []byte("Welcome"), []byte("Welcomf"), 1), keySet(k), ErrBadSignature},
		{"signature not last", append(append([]byte(`{"signature":"`+sig+`",`), doc[1:sigAt]...), '}'), keySet(k), ErrSignatureNotLast},
		{"member after the signature", append(bytes.Clone(doc[:len(doc)-1]), `,"x":1}`...), keySet(k), ErrSignatureNotLast},
		{"no signature", append(bytes.Clone(doc[:sigAt]), '}'), keySet(k), ErrSignatureNotLast},
		{"signature not base64url", bytes.Replace(doc, []byte(sig), []byte("+/"+sig[2:]), 1), keySet(k), ErrSignatureEncoding},
		{"signature of the wrong length", bytes.Replace(doc, []byte(sig), []byte(sig[:43]), 1), keySet(k), ErrBadSignature},
		{"public key of the wrong length", doc, KeySet{Keys: []JWK{short}}, ErrMalformedKey},
		{"signed by another key under this kid", func() []byte {
			d := other.sign(t, lobby(7, t0))
			return bytes.Replace(d, []byte(other.kid), []byte(k.kid), 1)
		}(), keySet(k), ErrBadSignature},
		{"not JSON", []byte("nope"), keySet(k), nil}, // checked below: any error
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Verify(c.doc, c.keys)
			switch {
			case c.name == "not JSON":
				if err == nil {
					t.Fatal("accepted a non-JSON document")
				}
			case c.want == nil && err != nil:
				t.Fatalf("refused a good bundle: %v", err)
			case c.want != nil && !errors.Is(err, c.want):
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}

	t.Run("unknown kid", func(t *testing.T) {
		var unknown *UnknownKeyError
		if err := Verify(doc, keySet(other)); !errors.As(err, &unknown) || unknown.KeyID != k.kid {
			t.Fatalf("got %v, want an UnknownKeyError for %s", err, k.kid)
		}
	})
}

// The key set is refetched once when a bundle names an unknown key: a
// rotation is followed, anything else is still refused.
func TestKeyringRefetch(t *testing.T) {
	oldKey, newK, rogue := newKey(t), newKey(t), newKey(t)
	published := keySet(newK, oldKey) // after the rotation
	fetches := 0
	kr := &keyring{set: keySet(oldKey), state: State{Dir: t.TempDir()}, log: slog.New(slog.DiscardHandler),
		fetch: func(context.Context) (KeySet, error) { fetches++; return published, nil }}
	ctx := context.Background()

	if err := kr.verify(ctx, oldKey.sign(t, lobby(1, t0))); err != nil || fetches != 0 {
		t.Fatalf("known key: err %v after %d fetches, want nil after 0", err, fetches)
	}
	if err := kr.verify(ctx, newK.sign(t, lobby(2, t0))); err != nil || fetches != 1 {
		t.Fatalf("rotated key: err %v after %d fetches, want nil after 1", err, fetches)
	}
	if saved, _ := kr.state.LoadKeys(); !saved.Has(newK.kid) {
		t.Fatal("the refetched key set was not saved")
	}
	var unknown *UnknownKeyError
	if err := kr.verify(ctx, rogue.sign(t, lobby(3, t0))); !errors.As(err, &unknown) || fetches != 2 {
		t.Fatalf("unknown key: err %v after %d fetches, want a refusal after exactly one more fetch", err, fetches)
	}

	// The old key is withdrawn: what it signs is no longer trusted.
	published = keySet(newK)
	kr.set = published
	if err := kr.verify(ctx, oldKey.sign(t, lobby(4, t0))); err == nil {
		t.Fatal("accepted a bundle signed with a withdrawn key")
	}

	kr.fetch = func(context.Context) (KeySet, error) { return KeySet{}, errors.New("offline") }
	if err := kr.verify(ctx, rogue.sign(t, lobby(5, t0))); err == nil || !strings.Contains(err.Error(), "offline") {
		t.Fatalf("got %v, want the refusal to say the refetch failed", err)
	}
}
