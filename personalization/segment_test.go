package personalization_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	p "github.com/mosaichq/mosaic/personalization"
)

// logBuffer is a goroutine-safe sink for a slog text handler.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(data []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(data)
}

func (b *logBuffer) Lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Split(strings.TrimSpace(b.buf.String()), "\n")
}

func newLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

func testSegments() []p.Segment {
	return []p.Segment{
		{Key: "loyal", Rule: `traits.visits > 3`},
		{Key: "mobile-fan", Rule: `context.device == "mobile"`},
		{Key: "big-spender", Rule: `traits.cart_value >= 100.0`},
		{Key: "cdp-only"}, // explicit
	}
}

func TestSegmentSetEvaluate(t *testing.T) {
	t.Parallel()
	set, err := p.CompileSegments(testSegments(), nil)
	require.NoError(t, err)
	require.Equal(t, 3, set.Len())

	tests := []struct {
		name string
		ctx  p.Context
		want []string
	}{
		{"explicit first, deduped, then rules in order",
			p.Context{Purposes: consent.All, Device: "mobile", Segments: []string{"vip", "", "vip", "cdp-only"},
				Traits: map[string]any{"visits": 4.0, "cart_value": 150.0}},
			[]string{"vip", "cdp-only", "loyal", "mobile-fan", "big-spender"}},
		{"explicit key of a rule segment counts even if the rule fails",
			p.Context{Purposes: consent.All, Segments: []string{"loyal"}},
			[]string{"loyal"}},
		{"no consent: nothing at all",
			p.Context{Device: "mobile", Segments: []string{"vip"}, Traits: map[string]any{"visits": 9.0}},
			nil},
		{"nothing matches", p.Context{Purposes: consent.All}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, set.Evaluate(tt.ctx))
		})
	}
}

func TestSegmentSetNil(t *testing.T) {
	t.Parallel()
	var set *p.SegmentSet
	require.Equal(t, []string{"a"}, set.Evaluate(p.Context{Purposes: consent.All, Segments: []string{"a", "a"}}))
	require.Zero(t, set.Len())
}

func TestSegmentRuntimeErrorLoggedOnce(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	set, err := p.CompileSegments([]p.Segment{
		{Key: "loyal", Rule: `traits.visits > 3`},
		{Key: "ok", Rule: `context.channel == "web"`},
	}, logger)
	require.NoError(t, err)

	missing := p.Context{Purposes: consent.All, Channel: "web"}                                          // no visits trait
	wrongType := p.Context{Purposes: consent.All, Channel: "web", Traits: map[string]any{"visits": "x"}} // string
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				// assert, not require: FailNow must not run off the test goroutine.
				assert.Equal(t, []string{"ok"}, set.Evaluate(missing))
				assert.Equal(t, []string{"ok"}, set.Evaluate(wrongType))
			}
		})
	}
	wg.Wait()

	lines := logs.Lines()
	require.Len(t, lines, 2, "one line per (segment, error kind): %v", lines)
	joined := strings.Join(lines, "\n")
	require.Contains(t, joined, "segment=loyal kind=missing_value")
	require.Contains(t, joined, "segment=loyal kind=wrong_type")
	require.Contains(t, joined, "level=WARN")
	require.NotContains(t, joined, `"x"`, "trait values are personal data and must not be logged")
}

func TestCompileSegmentsErrors(t *testing.T) {
	t.Parallel()
	_, err := p.CompileSegments([]p.Segment{
		{Key: "a", Rule: `true`},
		{Key: "", Rule: `true`},
		{Key: "a", Rule: `traits.x >`},
		{Key: "c", Rule: `trait.x > 1`},
	}, nil)
	e, ok := errs.As(err)
	require.True(t, ok, "want *errs.Error, got %v", err)
	require.Equal(t, errs.BadUserInput, e.Code)
	var paths []string
	for _, f := range e.Fields {
		paths = append(paths, f.Path)
	}
	require.Equal(t, []string{"segments.1.key", "segments.2.key", "segments.2.rule", "segments.3.rule"}, paths)
	require.Contains(t, e.Fields[1].Message, `duplicate segment key "a" (also segments.0)`)
	require.Contains(t, e.Fields[2].Message, "line 1, column 11: Syntax error")
}

func TestSegmentRuleInterruptedByContext(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	set, err := p.CompileSegments([]p.Segment{{Key: "runner", Rule: `traits.tags.exists(t, t == "runner")`}}, logger)
	require.NoError(t, err)
	tags := make([]any, 3000) // within the cost limit, long enough to be interrupted
	for i := range tags {
		tags[i] = "swimmer"
	}
	c := p.Context{Purposes: consent.All, Traits: map[string]any{"tags": append(tags, "runner")}}
	require.Equal(t, []string{"runner"}, set.EvaluateContext(t.Context(), c))

	ctx, cancel := context.WithCancel(t.Context())
	cancel() // the client went away
	require.Empty(t, set.EvaluateContext(ctx, c))
	lines := logs.Lines()
	require.Len(t, lines, 1)
	require.Contains(t, lines[0], "level=DEBUG")
	require.Contains(t, lines[0], "kind=interrupted")
}
