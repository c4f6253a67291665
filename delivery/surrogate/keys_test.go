package surrogate_test

import (
	"fmt"

	"github.com/mosaichq/mosaic/delivery/surrogate"
)

func Example() {
	fmt.Println(surrogate.All, surrogate.Entry("e1"), surrogate.Type("page"), surrogate.Campaign("black-friday"), surrogate.Asset("a1"))
	// Output: mosaic entry:e1 type:page campaign:black-friday asset:a1
}
