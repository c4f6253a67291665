package consent

import (
	"slices"
	"strconv"
	"strings"

	"github.com/prebid/go-gdpr/consentconstants"
	"github.com/prebid/go-gdpr/vendorconsent"

	"github.com/mosaichq/mosaic/errs"
)

// Purpose is what a visitor consents to.
type Purpose string

// The purposes.
const (
	Personalization Purpose = "personalization"
	Measurement     Purpose = "measurement"
	Storage         Purpose = "storage"
)

// Purposes lists every purpose.
func Purposes() []Purpose { return []Purpose{Personalization, Measurement, Storage} }

// Set is the purposes a visitor granted, and whether Global Privacy
// Control took some away.
type Set struct {
	bits uint8
	gpc  bool
}

func bit(p Purpose) uint8 { return 1 << uint8(slices.Index(Purposes(), p)) }

// All grants every purpose; None grants none.
var (
	All  = Set{bits: 1<<len(Purposes()) - 1}
	None = Set{}
)

// Of grants ps.
func Of(ps ...Purpose) Set {
	var s Set
	for _, p := range ps {
		s.bits |= bit(p)
	}
	return s
}

// Has reports whether p is granted.
func (s Set) Has(p Purpose) bool { return s.bits&bit(p) != 0 }

// All reports whether every purpose is granted.
func (s Set) All() bool { return s.bits == All.bits }

// List is the granted purposes, in Purposes' order; never nil.
func (s Set) List() []Purpose {
	out := []Purpose{}
	for _, p := range Purposes() {
		if s.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

// String lists the granted purposes ("none" for none), and gpc when
// Global Privacy Control applied: it keys caches, so it is a table
// lookup, not built per call.
func (s Set) String() string {
	i := int(s.bits)
	if s.gpc {
		i += len(setNames) / 2
	}
	return setNames[i]
}

// setNames holds every Set's String: bits, then bits with gpc.
var setNames = func() []string {
	n := 1 << len(Purposes())
	out := make([]string, 2*n)
	for bits := range n {
		var parts []string
		for i, p := range Purposes() {
			if bits&(1<<i) != 0 {
				parts = append(parts, string(p))
			}
		}
		name := "none"
		if len(parts) > 0 {
			name = strings.Join(parts, "+")
		}
		out[bits], out[n+bits] = name, name+";gpc"
	}
	return out
}()

// Reason says why p is missing, for a decision's reason: "without
// measurement consent", or "under Global Privacy Control" when the
// header took it away.
func (s Set) Reason(p Purpose) string {
	if s.gpc {
		return "no " + string(p) + " under Global Privacy Control"
	}
	return "no " + string(p) + " consent"
}

// Input is what a request says about consent.
type Input struct {
	// Consent is the shorthand: every purpose, or none.
	Consent *bool
	// Purposes lists the purposes granted (nil: not sent).
	Purposes []string
	// TCF is a TCF v2 consent string (nil: not sent).
	TCF *string
	// GPC is the Sec-GPC: 1 request header.
	GPC bool
}

// Resolve reads in: BAD_USER_INPUT for an unknown purpose, a TCF string
// that does not decode, or more than one way of saying it.
func Resolve(in Input) (Set, error) {
	given := 0
	for _, ok := range []bool{in.Consent != nil, in.Purposes != nil, in.TCF != nil} {
		if ok {
			given++
		}
	}
	if given > 1 {
		return None, errs.Invalid("give one of context.consent, context.purposes and context.tcf, not several",
			errs.FieldError{Path: "context", Message: "consent, purposes and tcf are alternatives"})
	}
	s := All
	var err error
	switch {
	case in.Consent != nil && !*in.Consent:
		s = None
	case in.Purposes != nil:
		s, err = Parse(in.Purposes)
	case in.TCF != nil:
		s, err = FromTCF(*in.TCF)
	}
	if err != nil {
		return None, err
	}
	if in.GPC {
		s.bits &^= bit(Measurement) | bit(Personalization)
		s.gpc = true
	}
	return s, nil
}

// Parse reads a list of purpose names.
func Parse(names []string) (Set, error) {
	var s Set
	for _, n := range names {
		p := Purpose(n)
		if !slices.Contains(Purposes(), p) {
			msg := "unknown purpose " + quote(n) + "; known: personalization, measurement, storage"
			return None, errs.Invalid("context.purposes: "+msg, errs.FieldError{Path: "context.purposes", Message: msg})
		}
		s.bits |= bit(p)
	}
	return s, nil
}

// tcfPurposes maps each purpose to the TCF purposes it needs (see the
// package doc).
var tcfPurposes = map[Purpose][]consentconstants.Purpose{
	Storage:         {1},
	Personalization: {5, 6},
	Measurement:     {8},
}

// FromTCF reads the purpose consents of a TCF v2 consent string.
func FromTCF(tc string) (Set, error) {
	bad := func(why string) (Set, error) {
		msg := "not a TCF v2 consent string: " + why
		return None, errs.Invalid("context.tcf: "+msg, errs.FieldError{Path: "context.tcf", Message: msg})
	}
	if len(tc) > 4096 {
		return bad("longer than 4096 characters")
	}
	if tc == "" {
		return bad("empty")
	}
	vc, err := vendorconsent.ParseString(tc)
	if err != nil {
		return bad(err.Error())
	}
	if vc.Version() != 2 {
		return bad("version " + strconv.Itoa(int(vc.Version())) + ", not 2")
	}
	var s Set
	for _, p := range Purposes() {
		ok := true
		for _, tp := range tcfPurposes[p] {
			ok = ok && vc.PurposeAllowed(tp)
		}
		if ok {
			s.bits |= bit(p)
		}
	}
	return s, nil
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + s + `"`
}
