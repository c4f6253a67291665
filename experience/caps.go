package experience

import (
	"math"

	"github.com/mosaichq/mosaic/personalization"
)

// cap reads a variant's frequency cap in its stored form,
// {"max": 3, "per": "WEEK", "timeZone": "Europe/Bucharest",
// "perChannel": false}, strictly; its values are checked by
// personalization.Cap.Validate (through ValidateVariants).
func (p *parser) cap(path string, val any) *personalization.Cap {
	if val == nil {
		return nil
	}
	m, ok := val.(map[string]any)
	if !ok {
		p.add(path, "must be an object {max, per, timeZone, perChannel}")
		return nil
	}
	c := &personalization.Cap{}
	for k, v := range m {
		cp := p.at(path, k)
		switch k {
		case "max":
			f, ok := v.(float64)
			if !ok || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
				p.add(cp, "must be a whole number between 1 and %d", personalization.MaxCap)
				continue
			}
			c.Max = int(f)
		case "per":
			c.Per = p.str(cp, v)
		case "timeZone":
			c.TimeZone = p.str(cp, v)
		case "perChannel":
			if v == nil {
				continue
			}
			b, ok := v.(bool)
			if !ok {
				p.add(cp, "must be a boolean")
			}
			c.PerChannel = b
		default:
			p.add(cp, "unknown cap property; a cap has max, per, timeZone and perChannel")
		}
	}
	return c
}

// CapJSON is the stored JSON form of c (numbers as float64, as content
// validates them).
func CapJSON(c personalization.Cap) map[string]any {
	m := map[string]any{"max": float64(c.Max), "per": c.Per}
	if c.TimeZone != "" {
		m["timeZone"] = c.TimeZone
	}
	if c.PerChannel {
		m["perChannel"] = true
	}
	return m
}
