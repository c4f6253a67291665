package measurement

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// gateLog is a DecisionLog that holds every append until released, or
// refuses them: a log far slower than delivery, or away.
type gateLog struct {
	mu      sync.Mutex
	got     []Decision
	release chan struct{}
	refuse  bool
}

func (g *gateLog) AppendDecisions(ctx context.Context, ds []Decision) error {
	<-g.release
	if g.refuse {
		return errors.New("log away")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.got = append(g.got, ds...)
	return nil
}

// A stuck log never makes Record wait: past the buffer, records are
// dropped and counted; once the log moves, what was buffered is appended.
func TestRecorderNeverBlocks(t *testing.T) {
	log := &gateLog{release: make(chan struct{})}
	m := NewMetrics()
	r := NewRecorder(RecorderConfig{Log: log, Buffer: 4, Batch: 2, Metrics: m})
	kept := 0
	for i := range 20 { // the goroutine holds at most a batch (2), the buffer 4
		if r.Record(Decision{ID: string(rune('a' + i)), Time: time.Now()}) {
			kept++
		}
	}
	if kept < 4 || kept > 6 {
		t.Fatalf("kept %d records with a buffer of 4 and a stuck log", kept)
	}
	if got := value(m.DecisionsDropped); got != float64(20-kept) {
		t.Fatalf("dropped counted %v, want %d", got, 20-kept)
	}
	if got := r.Pending(); got != kept {
		t.Fatalf("pending %d while the log is stuck, want the %d kept", got, kept)
	}
	close(log.release)
	r.Close()
	if got := r.Pending(); got != 0 {
		t.Fatalf("pending %d after every record was appended", got)
	}
	if len(log.got) != kept {
		t.Fatalf("appended %d records, want the %d kept", len(log.got), kept)
	}
	if got := value(m.DecisionsLogged); got != float64(kept) {
		t.Fatalf("logged counted %v, want %d", got, kept)
	}
}

// A log that refuses a batch drops it (counted), and the recorder goes on.
func TestRecorderDropsRefusedBatches(t *testing.T) {
	log := &gateLog{release: make(chan struct{}), refuse: true}
	close(log.release)
	m := NewMetrics()
	r := NewRecorder(RecorderConfig{Log: log, Metrics: m})
	r.Record(Decision{ID: "x"})
	r.Close()
	if got := value(m.DecisionsDropped); got != 1 {
		t.Fatalf("dropped counted %v, want 1", got)
	}
	if got := r.Pending(); got != 0 {
		t.Fatalf("pending %d: a dropped record is not waiting", got)
	}
	if len(log.got) != 0 {
		t.Fatal("a refused batch is not kept")
	}
}

func TestReasonClass(t *testing.T) {
	for _, c := range []struct{ variant, reason, campaign, experiment, want string }{
		{"default", "no variant matched: default", "", "", ReasonDefault},
		{"vip", "segment vip matched", "", "", ReasonSegment},
		{"mobile", "device mobile matched", "", "", ReasonContext},
		{"sale", "live campaign winter-sale (priority 10)", "winter-sale", "", ReasonCampaign},
		{"default", "experiment hero arm control", "", "hero", ReasonExperiment},
		{"b", "experiment hero arm b", "winter-sale", "hero", ReasonExperiment},
	} {
		if got := ReasonClass(c.variant, c.reason, c.campaign, c.experiment); got != c.want {
			t.Errorf("ReasonClass(%q, %q, %q, %q) = %q, want %q", c.variant, c.reason, c.campaign, c.experiment, got, c.want)
		}
	}
}

func value(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	return m.GetCounter().GetValue()
}

// countLog records the size of each append.
type countLog struct {
	mu      sync.Mutex
	batches []int
}

func (c *countLog) AppendDecisions(_ context.Context, ds []Decision) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batches = append(c.batches, len(ds))
	return nil
}

// Records arriving while the recorder lingers go in one append: a full
// batch goes at once without waiting out the linger, and Close appends
// what is gathered without waiting either (an hour's linger would hang
// this test otherwise).
func TestRecorderGathersBatches(t *testing.T) {
	log := &countLog{}
	r := NewRecorder(RecorderConfig{Log: log, Batch: 3, Linger: time.Hour})
	for i := range 4 {
		r.Record(Decision{ID: string(rune('a' + i))})
	}
	r.Close()
	if len(log.batches) != 2 || log.batches[0] != 3 || log.batches[1] != 1 {
		t.Fatalf("appends of %v records, want [3 1]", log.batches)
	}
}
