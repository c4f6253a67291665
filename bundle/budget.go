package bundle

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
	"github.com/mosaichq/mosaic/personalization"
)

// Budget is a frequency cap carried to a screen. A screen is shared by
// everyone in front of it, so a cap on a variant it shows is kept per
// screen, offline, by the screen itself: Max exposures Per period
// (calendar periods in TimeZone, as personalization.Cap), one exposure
// each time the frame starts showing the block (a frame switch or a
// restart). Once a period's Max is spent the screen shows Fallback: the
// block as it is decided with this target spent (and any capped variant
// it would fall to spent too, so a fallback needs no budget of its own).
type Budget struct {
	// Scope is variant, campaign or experiment; Key the target's key (for
	// a variant, the block id is the Block's).
	Scope    string `json:"scope"`
	Key      string `json:"key"`
	Max      int    `json:"max"`
	Per      string `json:"per"`
	TimeZone string `json:"timeZone,omitempty"`
	Fallback *Block `json:"fallback"`
}

// maxFallbackSteps bounds how many capped variants a fallback passes.
const maxFallbackSteps = 5

// screenCounter is a screen's view of caps at build time: nothing spent
// (the screen spends its budgets offline), except the targets a fallback
// is decided without.
type screenCounter struct{ spent []personalization.CapTarget }

func (s screenCounter) CapCount(t personalization.CapTarget, _ time.Time, _ string) personalization.CapCount {
	for _, x := range s.spent {
		if x == t {
			return personalization.CapCount{Seen: personalization.MaxCap}
		}
	}
	return personalization.CapCount{}
}

// budgets adds to each decided block of scr that shows a capped target
// its budgets and fallbacks, deciding res again with the target spent.
func (b *Builder) budgets(ctx context.Context, c personalization.Context, res *content.Resolved, d *delivery.Entry, scr *Screen) error {
	for i := range d.Blocks {
		dec := d.Blocks[i].Decision
		if !dec.CapsRead || dec.Variant == personalization.DefaultVariant {
			continue
		}
		for _, t := range dec.Exposed() {
			bud, err := b.budget(ctx, c, res, i, t)
			if err != nil {
				return err
			}
			if bud != nil {
				scr.Blocks[i].Budgets = append(scr.Blocks[i].Budgets, *bud)
			}
		}
	}
	return nil
}

// budget is block i's budget for target t, or nil when t is not capped
// (spending it changes nothing).
func (b *Builder) budget(ctx context.Context, c personalization.Context, res *content.Resolved, i int, t personalization.CapTarget) (*Budget, error) {
	spent := []personalization.CapTarget{t}
	var out *Budget
	for range maxFallbackSteps {
		c.Caps = screenCounter{spent: spent}
		v, err := b.Experience.Visitor(ctx, c)
		if err != nil {
			return nil, err
		}
		bl := delivery.Decide(res, c.Locale, v, c.At, false).Blocks[i]
		if out == nil {
			s, ok := suppression(bl.Decision, t)
			if !ok {
				return nil, nil // not capped: no budget
			}
			out = &Budget{Scope: t.Scope.String(), Key: t.Key, Max: s.Cap.Max, Per: s.Cap.Per, TimeZone: s.Cap.TimeZone}
		}
		fb := Block{ID: bl.Stored.ID, Type: bl.Stored.Type, Fields: bl.Fields, Decision: decision(bl.Decision)}
		for _, s := range bl.Decision.Suppressed {
			fb.Decision.Reason = strings.ReplaceAll(fb.Decision.Reason, s.Note,
				"this screen's budget of "+strconv.Itoa(s.Cap.Max)+" per "+strings.ToLower(s.Cap.Per)+" is spent")
		}
		out.Fallback = &fb
		// A fallback that is itself capped is spent too: the screen has
		// no budget for it.
		more := false
		if bl.Decision.CapsRead && bl.Decision.Variant != personalization.DefaultVariant {
			for _, x := range bl.Decision.Exposed() {
				if !containsTarget(spent, x) {
					next := append(append([]personalization.CapTarget(nil), spent...), x)
					c.Caps = screenCounter{spent: next}
					v2, err := b.Experience.Visitor(ctx, c)
					if err != nil {
						return nil, err
					}
					if delivery.Decide(res, c.Locale, v2, c.At, false).Blocks[i].Decision.Variant != bl.Decision.Variant {
						spent, more = next, true
					}
				}
			}
		}
		if !more {
			break
		}
	}
	return out, nil
}

func suppression(d personalization.Decision, t personalization.CapTarget) (personalization.Suppression, bool) {
	for _, s := range d.Suppressed {
		if s.Scope == t.Scope && s.Key == t.Key {
			return s, true
		}
	}
	return personalization.Suppression{}, false
}

func containsTarget(ts []personalization.CapTarget, t personalization.CapTarget) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
