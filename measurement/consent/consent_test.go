package consent_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
)

// tcString encodes a minimal TCF v2 core string granting the given TCF
// purposes (no vendors, no restrictions), bit by bit as the TCF v2 spec
// lays the core segment out.
func tcString(version int, purposes ...int) string {
	var bits []bool
	put := func(v uint64, n int) {
		for i := n - 1; i >= 0; i-- {
			bits = append(bits, v>>uint(i)&1 == 1)
		}
	}
	put(uint64(version), 6)
	put(17000000000, 36) // created, deciseconds
	put(17000000000, 36) // last updated
	put(7, 12)           // CMP id
	put(1, 12)           // CMP version
	put(1, 6)            // consent screen
	put(4*64+13, 12)     // language "EN"
	put(150, 12)         // vendor list version
	put(4, 6)            // policy version: TCF 2.2
	put(1, 1)            // service specific
	put(0, 1)            // non-standard stacks
	put(0, 12)           // special features
	var p uint64
	for _, x := range purposes {
		p |= 1 << uint(24-x)
	}
	put(p, 24) // purpose consents 1..24
	put(0, 24) // legitimate interest
	put(0, 1)  // purpose one treatment
	put(4*64+13, 12)
	put(0, 16) // vendor consents: max id 0
	put(0, 1)  // bit field
	put(0, 16) // vendor legitimate interest: max id 0
	put(0, 1)
	put(0, 12) // no publisher restrictions
	for len(bits)%8 != 0 {
		bits = append(bits, false)
	}
	out := make([]byte, len(bits)/8)
	for i, b := range bits {
		if b {
			out[i/8] |= 1 << uint(7-i%8)
		}
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

func TestResolve(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name string
		in   consent.Input
		want []consent.Purpose
		code errs.Code
	}{
		{"nothing sent: every purpose", consent.Input{}, consent.Purposes(), ""},
		{"consent true", consent.Input{Consent: &yes}, consent.Purposes(), ""},
		{"consent false", consent.Input{Consent: &no}, []consent.Purpose{}, ""},
		{"purposes", consent.Input{Purposes: []string{"storage", "measurement"}}, []consent.Purpose{consent.Measurement, consent.Storage}, ""},
		{"no purposes", consent.Input{Purposes: []string{}}, []consent.Purpose{}, ""},
		{"unknown purpose", consent.Input{Purposes: []string{"marketing"}}, nil, errs.BadUserInput},
		{"two ways at once", consent.Input{Consent: &yes, Purposes: []string{"storage"}}, nil, errs.BadUserInput},
		{"GPC withdraws measurement and personalization", consent.Input{Consent: &yes, GPC: true}, []consent.Purpose{consent.Storage}, ""},
		{"TCF: 1, 5, 6, 8 grant all", consent.Input{TCF: str(tcString(2, 1, 5, 6, 8))}, consent.Purposes(), ""},
		{"TCF: 5 without 6 is no personalization", consent.Input{TCF: str(tcString(2, 1, 5, 8))}, []consent.Purpose{consent.Measurement, consent.Storage}, ""},
		{"TCF: ads purposes are not ours", consent.Input{TCF: str(tcString(2, 2, 3, 4, 7))}, []consent.Purpose{}, ""},
		{"TCF with vendor segments after a dot", consent.Input{TCF: str(tcString(2, 1) + ".YAAAAAAAAAAA")}, []consent.Purpose{consent.Storage}, ""},
		{"TCF that does not decode", consent.Input{TCF: str("not a consent string!")}, nil, errs.BadUserInput},
		{"TCF truncated", consent.Input{TCF: str(tcString(2, 1)[:10])}, nil, errs.BadUserInput},
		{"TCF empty", consent.Input{TCF: str("")}, nil, errs.BadUserInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := consent.Resolve(tc.in)
			if tc.code != "" {
				require.Equal(t, tc.code, errs.CodeOf(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got.List())
		})
	}
}

func TestSetReasonAndString(t *testing.T) {
	t.Parallel()
	require.Equal(t, "personalization+measurement+storage", consent.All.String())
	require.Equal(t, "none", consent.None.String())
	gpc, err := consent.Resolve(consent.Input{GPC: true})
	require.NoError(t, err)
	require.Equal(t, "storage;gpc", gpc.String())
	require.Equal(t, "no measurement under Global Privacy Control", gpc.Reason(consent.Measurement))
	require.Equal(t, "no measurement consent", consent.Of(consent.Storage).Reason(consent.Measurement))
	require.True(t, consent.All.All())
	require.False(t, consent.Of(consent.Storage).Has(consent.Measurement))
}

func FuzzFromTCF(f *testing.F) {
	f.Add(tcString(2, 1, 5, 6, 8))
	f.Add("CO-garbage")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := consent.FromTCF(s)
		if err != nil && errs.CodeOf(err) != errs.BadUserInput {
			t.Fatalf("a bad string must be BAD_USER_INPUT, got %v", err)
		}
	})
}

// BenchmarkResolve is what a delivery request pays to read consent.
func BenchmarkResolve(b *testing.B) {
	in := consent.Input{Purposes: []string{"measurement", "storage"}, GPC: true}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = consent.Resolve(in)
	}
}

// BenchmarkResolveTCF decodes a TCF string per request.
func BenchmarkResolveTCF(b *testing.B) {
	tc := tcString(2, 1, 5, 6, 8)
	in := consent.Input{TCF: &tc}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = consent.Resolve(in)
	}
}
