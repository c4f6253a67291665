package bundle

import (
	"bytes"
	"testing"
)

// FuzzVerify mutates a signed document: whatever arrives, Verify never
// panics, and it accepts only the exact bytes that were signed (Ed25519
// is not malleable, and the signed bytes are the document itself).
//
//	go test -run '^$' -fuzz FuzzVerify -fuzztime 60s ./bundle/
func FuzzVerify(f *testing.F) {
	s, err := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		f.Fatal(err)
	}
	keys := s.PublicKeys()
	doc := signed(f, s)
	f.Add(doc)
	f.Add(append(bytes.Clone(doc), ' '))
	f.Add(bytes.Replace(doc, []byte(`"lobby"`), []byte(`"l0bby"`), 1))
	f.Add(doc[:len(doc)-2])
	f.Add([]byte(`{"keyId":"x","signature":""}`))
	f.Add([]byte(`{"signature":"AAAA"}`))
	f.Add([]byte(`null`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		if err := Verify(in, keys); err == nil && !bytes.Equal(in, doc) {
			t.Fatalf("accepted a document that was not signed:\n%q", in)
		}
		_, _, _, _ = SignedBytes(in)
	})
}
