package client

import (
	"bytes"
	"testing"
	"time"
)

// FuzzVerify mutates a signed bundle: whatever the network delivers,
// Verify and Parse never panic, and only the exact signed bytes verify.
//
//	go test -run '^$' -fuzz FuzzVerify -fuzztime 60s ./client/
func FuzzVerify(f *testing.F) {
	k := newKey(f)
	keys := keySet(k)
	doc := k.sign(f, lobby(3, t0, change{at: t0.Add(time.Hour), variant: "winter-sale", title: "Sale"}))
	f.Add(doc)
	f.Add(append(bytes.Clone(doc), '\n'))
	f.Add(bytes.Replace(doc, []byte(`"Sale"`), []byte(`"Sa1e"`), 1))
	f.Add(doc[:len(doc)/2])
	f.Add([]byte(`{"keyId":"x","signature":"AAAA"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if err := Verify(in, keys); err == nil && !bytes.Equal(in, doc) {
			t.Fatalf("accepted a document that was not signed:\n%q", in)
		}
		_, _ = Parse(in)
	})
}
