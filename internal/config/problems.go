package config

import (
	"flag"
	"fmt"
	"strings"
)

// Problems is every invalid or missing setting found at once, so that an
// operator fixes them in one round instead of one start per mistake.
type Problems []error

// Error lists the problems, one per line when there are several.
func (p Problems) Error() string {
	if len(p) == 1 {
		return p[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d settings need attention:", len(p))
	for _, e := range p {
		b.WriteString("\n  - ")
		b.WriteString(strings.ReplaceAll(e.Error(), "\n", "\n    "))
	}
	return b.String()
}

// Unwrap lets errors.Is and errors.As see each problem.
func (p Problems) Unwrap() []error { return p }

// Err is p as an error, nil when there is none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// check records a problem when bad.
func (p *Problems) check(bad bool, format string, args ...any) {
	if bad {
		*p = append(*p, fmt.Errorf(format, args...))
	}
}

// add records err unless nil; the Problems of a sub-check are flattened.
func (p *Problems) add(err error) {
	switch e := err.(type) {
	case nil:
	case Problems:
		*p = append(*p, e...)
	default:
		*p = append(*p, err)
	}
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments (`mosaic model import model.json --dry-run`), as most command
// lines allow; "--" still ends the flags. fs.Args() holds the positional
// arguments afterwards, in order.
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}
