package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// Locales is the project's locale configuration.
type Locales struct {
	// Default holds every non-localized field and ends every fallback chain.
	Default string
	// Supported lists the locales entries may be written in.
	Supported []string
	// Fallbacks overrides the next locale to try, e.g. {"ro-MD": "ro-RO"}.
	// Without one a locale falls back to its language ("ro-RO" → "ro")
	// when that is supported, then to Default.
	Fallbacks map[string]string
}

var localePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// DefaultLocales is en plus the demo's Romanian.
func DefaultLocales() Locales {
	return Locales{Default: "en", Supported: []string{"en", "ro", "ro-RO"}}
}

// Validate reports a configuration that cannot work, e.g. a fallback cycle.
func (l Locales) Validate() error {
	if !slices.Contains(l.Supported, l.Default) {
		return fmt.Errorf("locales: default %q is not in supported %v", l.Default, l.Supported)
	}
	for _, loc := range l.Supported {
		if !localePattern.MatchString(loc) {
			return fmt.Errorf("locales: %q is not a locale tag like en or ro-RO", loc)
		}
	}
	for from, to := range l.Fallbacks {
		if !slices.Contains(l.Supported, from) || !slices.Contains(l.Supported, to) {
			return fmt.Errorf("locales: fallback %s → %s names an unsupported locale", from, to)
		}
		if from == l.Default {
			return fmt.Errorf("locales: the default locale %q ends every chain and takes no fallback", from)
		}
	}
	// Checked after the fallbacks name supported locales, so that a loop
	// is reported as a loop and not as a stray locale.
	for _, loc := range l.Supported {
		if chain := l.chain(loc); chain[len(chain)-1] != l.Default {
			return fmt.Errorf("locales: fallback chain of %q loops (%s) and never reaches %q",
				loc, strings.Join(chain, " → "), l.Default)
		}
	}
	return nil
}

// Chain returns the locales to read, most specific first; "" means Default.
func (l Locales) Chain(locale string) ([]string, error) {
	if locale == "" {
		locale = l.Default
	}
	if !slices.Contains(l.Supported, locale) {
		return nil, errs.Invalid(fmt.Sprintf("unknown locale %q; supported: %s", locale, strings.Join(l.Supported, ", ")),
			errs.FieldError{Path: "locale", Message: "unknown locale"})
	}
	return l.chain(locale), nil
}

// chain follows the fallbacks from locale. It stops at Default, or before a
// locale it already visited: a chain that does not end with Default loops
// (Validate refuses such configurations).
func (l Locales) chain(locale string) []string {
	chain := []string{locale}
	for cur := locale; cur != l.Default; {
		next, ok := l.Fallbacks[cur]
		if !ok {
			next = l.Default
			if i := strings.LastIndex(cur, "-"); i > 0 && slices.Contains(l.Supported, cur[:i]) {
				next = cur[:i]
			}
		}
		if slices.Contains(chain, next) {
			break
		}
		chain = append(chain, next)
		cur = next
	}
	return chain
}

// CheckWritable refuses writes in a locale that is not supported.
func (l Locales) CheckWritable(locale string) error {
	_, err := l.Chain(locale)
	return err
}
