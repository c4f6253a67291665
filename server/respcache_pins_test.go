package server_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
	"github.com/mosaichq/mosaic/personalization"
)

// landingArms is a person's pinned arms landing while an answer is
// computed, as the asynchronous arm loader can: one visitor's arms are
// found from its third read on. A first request of a class reads them
// three times: building the class's visitor (classmemo.go), the cache
// before computing (readPins), then the computation itself.
type landingArms struct {
	visitor string
	pins    map[string]string
	mu      sync.Mutex
	reads   int
}

func (a *landingArms) Arms(visitorID string) map[string]string {
	if visitorID != a.visitor {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reads++
	if a.reads < 3 {
		return nil
	}
	return a.pins
}

func (a *landingArms) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.reads
}

// An answer computed with pins its key was not made with is not kept:
// kept, it would be served to every visitor bucketed into the arm the key
// holds, showing the pinned arm instead.
func TestAnswerComputedAsPinsLandIsNotShared(t *testing.T) {
	t.Parallel()
	exp := personalization.Experiment{Key: "cta-test", Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}}
	var inA []string // visitors the experiment buckets into arm a
	for i := 0; len(inA) < 2; i++ {
		v := fmt.Sprintf("pins-visitor-%d", i)
		if arm, ok := personalization.Bucket(exp, v); ok && arm == "a" {
			inA = append(inA, v)
		}
	}
	pinned, other := inA[0], inA[1]
	arms := &landingArms{visitor: pinned, pins: map[string]string{"cta-test": "b"}}
	app := testapp.New(t, testapp.Options{Arms: arms})

	first := app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{"visitorId": pinned}})
	require.Equal(t, "MISS", first.Header.Get(graph.CacheHeader))
	require.Equal(t, "b", testapp.Path(block(t, first, "cta"), "decision", "arm"), "the computation read the person's pinned arm")
	require.GreaterOrEqual(t, arms.count(), 3, "the pins landed between the cache's read and the computation's")

	for i, want := range []string{"MISS", "HIT"} {
		r := app.Query("", personalizedHome, map[string]any{"ctx": map[string]any{"visitorId": other}})
		require.Equal(t, want, r.Header.Get(graph.CacheHeader), "request %d of another visitor of arm a", i+1)
		b := block(t, r, "cta")
		require.Equal(t, "a", testapp.Path(b, "decision", "arm"), "another visitor of arm a gets arm a, not the answer computed with the pin")
		require.Equal(t, "cta-a", testapp.Path(b, "decision", "variant"))
	}
}
