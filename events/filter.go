package events

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Filter selects the events one subscriber receives. Empty fields select
// everything. An event scoped to channels, devices or a screen reaches only
// subscribers that name one of them (or name none); an unscoped event
// reaches everyone.
type Filter struct {
	Channel string
	Device  string
	Screen  string
	// Types are event types, or prefixes ending in "*" ("campaign.*").
	Types []string
}

var (
	tokenPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	slugPattern  = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,199}$`)
)

// Registry lists the channel and device tokens a filter may name; nil
// lists accept any well-formed token.
type Registry struct {
	Channels []string
	Devices  []string
}

// ParseFilter reads channel, device, screen and type (comma-separated or
// repeated) from a query string, refusing what could never match.
func ParseFilter(q url.Values, reg Registry) (Filter, error) {
	f := Filter{Channel: q.Get("channel"), Device: q.Get("device"), Screen: q.Get("screen")}
	if err := checkToken("channel", f.Channel, reg.Channels); err != nil {
		return f, err
	}
	if err := checkToken("device", f.Device, reg.Devices); err != nil {
		return f, err
	}
	if f.Screen != "" && !slugPattern.MatchString(f.Screen) {
		return f, fmt.Errorf("screen %q is not a slug", f.Screen)
	}
	for _, v := range q["type"] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t == "" {
				continue
			}
			if !knownType(t) {
				return f, fmt.Errorf("type %q matches no event type (want one of %s, or a prefix such as campaign.*)",
					t, strings.Join(Types(), ", "))
			}
			f.Types = append(f.Types, t)
		}
	}
	return f, nil
}

func checkToken(name, v string, allowed []string) error {
	switch {
	case v == "":
		return nil
	case !tokenPattern.MatchString(v):
		return fmt.Errorf("%s %q is not a token (lower-case letters, digits, _ or -)", name, v)
	case allowed != nil && !slices.Contains(allowed, v):
		return fmt.Errorf("unknown %s %q: want one of %s", name, v, strings.Join(allowed, ", "))
	}
	return nil
}

// knownType reports whether pattern matches at least one event type.
func knownType(pattern string) bool {
	return slices.ContainsFunc(Types(), func(t string) bool { return typeMatches(pattern, t) })
}

func typeMatches(pattern, typ string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(typ, prefix)
	}
	return pattern == typ
}

// Match reports whether e passes f.
func (f Filter) Match(e Event) bool {
	if IsReport(e.Type) {
		return false // editors' data: webhooks only (see TypeReportDaily)
	}
	if len(f.Types) > 0 && !slices.ContainsFunc(f.Types, func(p string) bool { return typeMatches(p, e.Type) }) {
		return false
	}
	if f.Channel != "" && !inScope(e.Channels(), f.Channel) {
		return false
	}
	if f.Device != "" && !inScope(e.Devices(), f.Device) {
		return false
	}
	if s := e.Screen(); f.Screen != "" && s != "" && s != f.Screen {
		return false
	}
	return true
}
