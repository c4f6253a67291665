package blob_test

import (
	"errors"
	"fmt"

	"github.com/mosaichq/mosaic/storage/blob"
)

// Keys are checked before any backend sees them, so none can leave a local
// store's directory or mean different objects on different backends.
func ExampleCheckKey() {
	for _, k := range []string{"originals/ab/abcdef", "../etc/passwd", "a//b", "with space"} {
		err := blob.CheckKey(k)
		fmt.Printf("%-20q %v\n", k, errors.Is(err, blob.ErrInvalidKey))
	}
	// Output:
	// "originals/ab/abcdef" false
	// "../etc/passwd"      true
	// "a//b"               true
	// "with space"         true
}
