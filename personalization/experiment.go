package personalization

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// Experiment splits traffic between arms. Variants opt in with
// Variant.Experiment and Variant.Arm; an arm without a variant in a block
// is served that block's default (a typical control arm).
type Experiment struct {
	Key  string
	Arms []Arm
	// Holdout is the share of visitors (0..1) kept out of the experiment
	// entirely: they get no arm and see defaults. Its complement is the
	// experiment's traffic coverage (the share of eligible visitors in the
	// test), applied deterministically by step 2 of Bucket.
	Holdout float64
	// Stopped is true for an experiment that is not running (a draft, or
	// stopped): it buckets nobody, pinned arms included, so every visitor
	// sees the block's default. The zero value runs, as every experiment
	// did before experiments had a lifecycle.
	Stopped bool
	// Cap limits how often one person is exposed to the experiment, any
	// arm (cap.go); nil: no cap. A capped person is not exposed: they see
	// what they would see without the experiment.
	Cap *Cap
}

// Arm is one branch of an experiment. Weights are relative: {a: 1, b: 3}
// sends a quarter of the (non-held-out) traffic to a. A zero weight
// closes the arm to everyone.
type Arm struct {
	Key    string  `json:"key"`
	Weight float64 `json:"weight"`
}

// Validate checks an experiment when it is saved: a key, unique non-empty
// arm keys, finite non-negative weights with a positive sum, holdout in
// [0, 1].
func (e Experiment) Validate() error {
	var fields []errs.FieldError
	add := func(path, format string, args ...any) {
		fields = append(fields, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(e.Key) == "" {
		add("key", "experiment key is required")
	}
	if len(e.Arms) == 0 {
		add("arms", "an experiment needs at least one arm")
	}
	seen := make(map[string]bool, len(e.Arms))
	total := 0.0
	for i, a := range e.Arms {
		switch {
		case strings.TrimSpace(a.Key) == "":
			add(fmt.Sprintf("arms.%d.key", i), "arm key is required")
		case seen[a.Key]:
			add(fmt.Sprintf("arms.%d.key", i), "duplicate arm key %q", a.Key)
		}
		seen[a.Key] = true
		if math.IsNaN(a.Weight) || math.IsInf(a.Weight, 0) || a.Weight < 0 {
			add(fmt.Sprintf("arms.%d.weight", i), "weight must be a finite number >= 0")
		} else {
			total += a.Weight
		}
	}
	if len(e.Arms) > 0 && total <= 0 {
		add("arms", "at least one arm needs a positive weight")
	}
	if !(e.Holdout >= 0 && e.Holdout <= 1) { // also rejects NaN
		add("holdout", "holdout must be between 0 and 1")
	}
	if e.Cap != nil {
		fields = append(fields, e.Cap.Validate("cap.", false)...)
	}
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid("invalid experiment: "+fields[0].Path+": "+fields[0].Message, fields...)
}

// bucketStatus says why a visitor did or did not get an arm (for reasons).
type bucketStatus uint8

const (
	bucketed bucketStatus = iota
	bucketNoVisitor
	bucketHeldOut
	bucketNoArm      // no arm has a positive weight
	bucketNotRunning // a draft or stopped experiment
)

// Bucket assigns visitorID to an arm of exp, deterministically and
// stickily: the same inputs give the same arm on every replica and in
// every client SDK. ok is false, and arm "", when the experiment is not
// running (Stopped), the visitor is anonymous (empty visitorID: never
// random), held out, or no arm is open.
//
// The algorithm, precisely enough to reimplement:
//
//  1. U(p1, p2, p3) maps three strings to a number in (0, 1). Encode each
//     part as its UTF-8 byte length as a 4-byte big-endian unsigned
//     integer followed by the bytes; concatenate the three; take the
//     SHA-256 digest; read its first 8 bytes as a big-endian uint64 x;
//     U = ((x >> 11) + 0.5) / 2^53 (the top 53 bits, centred in their
//     cell, so U is never 0 or 1).
//  2. Holdout: the visitor is held out iff U(exp.Key, visitorID,
//     "holdout") < exp.Holdout.
//  3. Weighted rendezvous hashing: for each arm with weight w > 0 (NaN
//     and infinite weights count as 0), score = -w / ln(U(exp.Key,
//     arm.Key, visitorID)). The highest score wins; an exact tie goes to
//     the arm whose key sorts first bytewise.
//
// Each arm's score depends only on that arm, so removing an arm moves only
// its own visitors, adding one only takes visitors into it, and changing a
// weight only moves visitors between that arm and the others. The winner
// is arm i with probability w_i / Σw. Holdout is a threshold on an
// independent hash, so raising it only moves visitors into the holdout.
// testdata/bucketing_vectors.json holds golden cases.
func Bucket(exp Experiment, visitorID string) (arm string, ok bool) {
	arm, st := bucket(exp, visitorID)
	return arm, st == bucketed
}

func bucket(exp Experiment, visitorID string) (string, bucketStatus) {
	if exp.Stopped {
		return "", bucketNotRunning
	}
	if visitorID == "" {
		return "", bucketNoVisitor
	}
	if exp.Holdout > 0 && unitHash(exp.Key, visitorID, "holdout") < exp.Holdout {
		return "", bucketHeldOut
	}
	best, bestScore := -1, 0.0
	for i, a := range exp.Arms {
		if !(a.Weight > 0) || math.IsInf(a.Weight, 1) {
			continue
		}
		score := -a.Weight / math.Log(unitHash(exp.Key, a.Key, visitorID))
		if best < 0 || score > bestScore || (score == bestScore && a.Key < exp.Arms[best].Key) {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return "", bucketNoArm
	}
	return exp.Arms[best].Key, bucketed
}

// unitHash implements U from Bucket's doc comment. The message is built in
// a stack buffer so bucketing does not allocate for ordinary key lengths.
func unitHash(a, b, c string) float64 {
	var stack [256]byte
	buf := appendPart(stack[:0], a)
	buf = appendPart(buf, b)
	buf = appendPart(buf, c)
	sum := sha256.Sum256(buf)
	x := binary.BigEndian.Uint64(sum[:8])
	return (float64(x>>11) + 0.5) / (1 << 53)
}

func appendPart(buf []byte, s string) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
	return append(buf, s...)
}
