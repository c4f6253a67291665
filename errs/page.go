package errs

import "fmt"

// CheckFirst is the one rule for a page size a client asks for (every
// `first` argument, every list service): between 1 and max. Anything else
// is refused, never read as "everything" or quietly clamped, so a client
// learns of its mistake instead of getting a page it did not ask for.
// Services that read 0 as "the default" apply it before calling.
func CheckFirst(first, max int) error {
	if first < 1 || first > max {
		return Invalid(fmt.Sprintf("first must be between 1 and %d, got %d", max, first),
			FieldError{Path: "first", Message: fmt.Sprintf("between 1 and %d", max)})
	}
	return nil
}
