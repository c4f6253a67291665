package rendition_test

import (
	"fmt"

	"github.com/mosaichq/mosaic/assets/rendition"
)

// A device's preset, resolved against a 4000×3000 photo and a 1000×500
// banner: never wider than the original, so one stored rendition serves
// every request beyond it.
func ExamplePlanFor() {
	for _, device := range []string{"watch", "mobile", "kiosk"} {
		w, _ := rendition.PresetWidth(device)
		spec := rendition.Spec{Width: w, Fit: rendition.Contain, Format: rendition.WebP}
		photo := rendition.PlanFor(spec, 4000, 3000)
		banner := rendition.PlanFor(spec, 1000, 500)
		fmt.Printf("%-6s %s %s\n", device, photo.Key(0.5, 0.5), banner.Key(0.5, 0.5))
	}
	// Output:
	// watch  320x240-contain.webp 320x160-contain.webp
	// mobile 640x480-contain.webp 640x320-contain.webp
	// kiosk  3840x2880-contain.webp 1000x500-contain.webp
}
