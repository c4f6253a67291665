package bundle

import (
	"encoding/json"
	"testing"
	"time"
)

func framesOf(t *testing.T, start time.Time, titles ...string) ([]Frame, [][]byte) {
	t.Helper()
	var frames []Frame
	var shown [][]byte
	for i, title := range titles {
		scr := &Screen{ID: "e1", Slug: "lobby", Fields: map[string]any{"title": title}, Blocks: []Block{}}
		if title == "" {
			scr = nil // unpublished
		}
		enc, err := json.Marshal(scr)
		if err != nil {
			t.Fatal(err)
		}
		from := start.Add(time.Duration(i) * time.Hour)
		frames = append(frames, Frame{ValidFrom: from, ValidUntil: from.Add(time.Hour), Content: scr})
		shown = append(shown, enc)
	}
	frameKeys(frames, shown)
	return frames, shown
}

// A frame's key names what is shown from it on: it survives the passing
// of earlier frames and a later build, and changes with anything later.
func TestFrameKeys(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	all, _ := framesOf(t, t0, "welcome", "sale", "welcome")

	// Built an hour later: the first frame is gone, its start moved.
	later, _ := framesOf(t, t0.Add(time.Hour), "sale", "welcome")
	if later[0].Key != all[1].Key || later[1].Key != all[2].Key {
		t.Fatalf("keys moved when a frame passed: %v vs %v", keys(later), keys(all))
	}
	if all[0].Key == all[2].Key {
		t.Fatal("the same content followed by different frames must differ")
	}

	// A later frame's content changes every key before it, not after.
	changed, _ := framesOf(t, t0, "welcome", "sale!", "welcome")
	if changed[0].Key == all[0].Key || changed[1].Key == all[1].Key || changed[2].Key != all[2].Key {
		t.Fatalf("a change must reach exactly the frames up to it: %v vs %v", keys(changed), keys(all))
	}

	// A moved boundary changes the keys before it.
	moved, shown := framesOf(t, t0, "welcome", "sale", "welcome")
	moved[2].ValidFrom = moved[2].ValidFrom.Add(time.Minute)
	frameKeys(moved, shown)
	if moved[1].Key == all[1].Key || moved[0].Key == all[0].Key || moved[2].Key != all[2].Key {
		t.Fatalf("a moved end must change the keys before it: %v vs %v", keys(moved), keys(all))
	}

	// An unpublished frame has a key of its own.
	gap, _ := framesOf(t, t0, "welcome", "", "welcome")
	if gap[1].Key == "" || gap[1].Key == all[1].Key {
		t.Fatalf("unpublished frame key %q", gap[1].Key)
	}
}

func keys(fs []Frame) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Key[:8]
	}
	return out
}
