package personalization_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	p "github.com/mosaichq/mosaic/personalization"
)

var update = flag.Bool("update", false, "rewrite testdata/bucketing_vectors.json from the current implementation")

const vectorsFile = "testdata/bucketing_vectors.json"

// bucketVector is one golden case, shared with client SDKs.
type bucketVector struct {
	Experiment string  `json:"experiment"`
	VisitorID  string  `json:"visitorId"`
	Arms       []p.Arm `json:"arms"`
	Holdout    float64 `json:"holdout"`
	Arm        string  `json:"arm"` // "" = held out, anonymous or no open arm
}

func vectorInputs() []bucketVector {
	exps := []p.Experiment{
		{Key: "cta-test", Arms: []p.Arm{{"a", 50}, {"b", 50}}},
		{Key: "hero-copy", Arms: []p.Arm{{"control", 20}, {"b", 30}, {"c", 50}}, Holdout: 0.1},
		{Key: "price", Arms: []p.Arm{{"x", 1}}, Holdout: 0.5},
		{Key: "zero-weight", Arms: []p.Arm{{"a", 0}, {"b", 1}}},
		{Key: "all-held-out", Arms: []p.Arm{{"a", 1}, {"b", 1}}, Holdout: 1},
		{Key: "unicode-ключ", Arms: []p.Arm{{"α", 1}, {"β", 2.5}}},
		{Key: "closed", Arms: []p.Arm{{"a", 0}}},
	}
	visitors := []string{"v-1", "visitor-42", "", "user@example.com", "😀", "0", strings.Repeat("long", 100)}
	var out []bucketVector
	for _, e := range exps {
		for _, v := range visitors {
			out = append(out, bucketVector{Experiment: e.Key, VisitorID: v, Arms: e.Arms, Holdout: e.Holdout})
		}
	}
	return out
}

// TestBucketingVectors replays the golden vectors. Regenerate (only when
// the algorithm deliberately changes, which re-buckets every visitor) with
// go test ./personalization -run TestBucketingVectors -update
func TestBucketingVectors(t *testing.T) {
	if *update {
		vectors := vectorInputs()
		for i, v := range vectors {
			vectors[i].Arm, _ = p.Bucket(p.Experiment{Key: v.Experiment, Arms: v.Arms, Holdout: v.Holdout}, v.VisitorID)
		}
		// One case per line: easy to read and to diff.
		lines := make([]string, len(vectors))
		for i, v := range vectors {
			line, err := json.Marshal(v)
			require.NoError(t, err)
			lines[i] = "  " + string(line)
		}
		data := "[\n" + strings.Join(lines, ",\n") + "\n]\n"
		require.NoError(t, os.MkdirAll(filepath.Dir(vectorsFile), 0o755))
		require.NoError(t, os.WriteFile(vectorsFile, []byte(data), 0o644))
	}
	t.Parallel()
	data, err := os.ReadFile(vectorsFile)
	require.NoError(t, err)
	var vectors []bucketVector
	require.NoError(t, json.Unmarshal(data, &vectors))
	require.GreaterOrEqual(t, len(vectors), 45)
	arms := map[string]bool{}
	for _, v := range vectors {
		got, ok := p.Bucket(p.Experiment{Key: v.Experiment, Arms: v.Arms, Holdout: v.Holdout}, v.VisitorID)
		require.Equal(t, v.Arm, got, "%+v", v)
		require.Equal(t, v.Arm != "", ok)
		require.Equal(t, v.Arm, specBucket(v.Experiment, v.Arms, v.Holdout, v.VisitorID), "spec reimplementation")
		arms[v.Arm] = true
	}
	require.Greater(t, len(arms), 5, "vectors should exercise many outcomes")
}

// specBucket reimplements Bucket from its doc comment alone, the way a
// client SDK would, to prove the documentation is complete.
func specBucket(key string, arms []p.Arm, holdout float64, visitor string) string {
	u := func(parts ...string) float64 {
		var msg []byte
		for _, s := range parts {
			msg = binary.BigEndian.AppendUint32(msg, uint32(len(s)))
			msg = append(msg, s...)
		}
		sum := sha256.Sum256(msg)
		return (float64(binary.BigEndian.Uint64(sum[:8])>>11) + 0.5) / math.Pow(2, 53)
	}
	if visitor == "" || u(key, visitor, "holdout") < holdout {
		return ""
	}
	best, bestScore := "", -1.0
	for _, a := range arms {
		if !(a.Weight > 0) || math.IsInf(a.Weight, 0) {
			continue
		}
		score := -a.Weight / math.Log(u(key, a.Key, visitor))
		if score > bestScore || (score == bestScore && a.Key < best) {
			best, bestScore = a.Key, score
		}
	}
	return best
}

func TestBucketMatchesSpec(t *testing.T) {
	t.Parallel()
	exp := p.Experiment{Key: "spec", Arms: []p.Arm{{"a", 1}, {"b", 2}, {"c", 3}}, Holdout: 0.2}
	for i := range 2000 {
		id := fmt.Sprintf("id-%d", i)
		got, _ := p.Bucket(exp, id)
		require.Equal(t, specBucket(exp.Key, exp.Arms, exp.Holdout, id), got, id)
	}
}

const population = 100_000

func counts(exp p.Experiment) map[string]int {
	out := map[string]int{}
	for i := range population {
		arm, _ := p.Bucket(exp, fmt.Sprintf("visitor-%d", i))
		out[arm]++
	}
	return out
}

func TestBucketChiSquare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		arms     []p.Arm
		critical float64 // chi-square critical value at p = 0.001, df = arms-1
	}{
		{"50/50", []p.Arm{{"a", 50}, {"b", 50}}, 10.828},
		{"20/30/50", []p.Arm{{"a", 20}, {"b", 30}, {"c", 50}}, 13.816},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := counts(p.Experiment{Key: "chi-" + tt.name, Arms: tt.arms})
			total := 0.0
			for _, a := range tt.arms {
				total += a.Weight
			}
			chi := 0.0
			for _, a := range tt.arms {
				expected := population * a.Weight / total
				d := float64(got[a.Key]) - expected
				chi += d * d / expected
			}
			t.Logf("counts %v chi-square %.3f (critical %.3f)", got, chi, tt.critical)
			require.Less(t, chi, tt.critical)
		})
	}
}

func TestBucketHoldoutShare(t *testing.T) {
	t.Parallel()
	got := counts(p.Experiment{Key: "holdout-share", Arms: []p.Arm{{"a", 1}}, Holdout: 0.1})
	// Binomial sd ≈ 95 for n=100k, p=0.1: allow ~5 sd.
	require.InDelta(t, 10_000, got[""], 500)
}

func TestBucketStableAndOrderIndependent(t *testing.T) {
	t.Parallel()
	exp := p.Experiment{Key: "stable", Arms: []p.Arm{{"a", 1}, {"b", 1}, {"c", 2}}, Holdout: 0.05}
	reversed := exp
	reversed.Arms = slices.Clone(exp.Arms)
	slices.Reverse(reversed.Arms)
	for i := range 5000 {
		id := fmt.Sprintf("v%d", i)
		a1, ok1 := p.Bucket(exp, id)
		a2, ok2 := p.Bucket(exp, id)
		a3, _ := p.Bucket(reversed, id)
		require.Equal(t, a1, a2)
		require.Equal(t, ok1, ok2)
		require.Equal(t, a1, a3, "arm order must not matter")
	}
}

func TestBucketAnonymousNeverBucketed(t *testing.T) {
	t.Parallel()
	arm, ok := p.Bucket(p.Experiment{Key: "x", Arms: []p.Arm{{"a", 1}}}, "")
	require.False(t, ok)
	require.Empty(t, arm)
}

// movement buckets the same visitors under before and after and returns
// the transitions from -> to (excluding visitors who stay).
func movement(before, after p.Experiment) map[[2]string]int {
	moves := map[[2]string]int{}
	for i := range 20_000 {
		id := fmt.Sprintf("m-%d", i)
		a, _ := p.Bucket(before, id)
		b, _ := p.Bucket(after, id)
		if a != b {
			moves[[2]string{a, b}]++
		}
	}
	return moves
}

func TestBucketMinimalMovement(t *testing.T) {
	t.Parallel()
	base := p.Experiment{Key: "move", Arms: []p.Arm{{"a", 1}, {"b", 1}, {"c", 1}}}
	with := func(arms ...p.Arm) p.Experiment {
		return p.Experiment{Key: base.Key, Arms: arms, Holdout: base.Holdout}
	}

	t.Run("removing an arm moves only its visitors", func(t *testing.T) {
		t.Parallel()
		moves := movement(base, with(p.Arm{"a", 1}, p.Arm{"b", 1}))
		require.NotEmpty(t, moves)
		for m := range moves {
			require.Equal(t, "c", m[0], "only visitors of c may move: %v", m)
		}
	})
	t.Run("adding an arm only takes visitors into it", func(t *testing.T) {
		t.Parallel()
		moves := movement(base, with(append(slices.Clone(base.Arms), p.Arm{"d", 1})...))
		total := 0
		for m, n := range moves {
			require.Equal(t, "d", m[1], "visitors may only move into d: %v", m)
			total += n
		}
		require.InDelta(t, 5000, total, 400) // d takes a quarter
	})
	t.Run("raising a weight only moves visitors into that arm", func(t *testing.T) {
		t.Parallel()
		moves := movement(base, with(p.Arm{"a", 1}, p.Arm{"b", 2}, p.Arm{"c", 1}))
		for m := range moves {
			require.Equal(t, "b", m[1], "visitors may only move into b: %v", m)
		}
	})
	t.Run("raising the holdout only moves visitors into it", func(t *testing.T) {
		t.Parallel()
		held := base
		held.Holdout = 0.2
		more := base
		more.Holdout = 0.3
		for m := range movement(held, more) {
			require.Equal(t, "", m[1], "visitors may only move into the holdout: %v", m)
		}
	})
}

func TestExperimentValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, p.Experiment{Key: "x", Arms: []p.Arm{{"a", 1}, {"b", 0}}, Holdout: 0.5}.Validate())
	err := p.Experiment{Arms: []p.Arm{{"a", -1}, {"a", math.NaN()}, {"", 0}}, Holdout: 1.5}.Validate()
	e, ok := errs.As(err)
	require.True(t, ok)
	var paths []string
	for _, f := range e.Fields {
		paths = append(paths, f.Path)
	}
	require.Equal(t, []string{"key", "arms.0.weight", "arms.1.key", "arms.1.weight", "arms.2.key", "arms", "holdout"}, paths)
}
