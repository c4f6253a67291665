package server_test

import (
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// Two instances on one database, each with its own event log and cap
// counter, serve the same people at once. Neither talks to the other: each
// learns the other's exposures from decision records in PostgreSQL. The
// package doc of measurement/capcount bounds what that costs: a person
// sees a capped variant at most max + (replicas − 1) times. What must not
// happen: anyone over max + 1 with two replicas. CAP_LOAD_PEOPLE and
// CAP_LOAD_REQUESTS scale it up for bench/RESULTS.md.
func TestOverDeliveryBound(t *testing.T) {
	t.Parallel()
	const max = 3
	people, requests := envInt("CAP_LOAD_PEOPLE", 12), envInt("CAP_LOAD_REQUESTS", 40)
	a := capApp(t, testapp.Options{})
	addCappedTeaser(t, a, max)
	b := capApp(t, testapp.Options{Database: a.DatabaseURL, NoSeed: true})
	key := a.APIKey(auth.ScopeDelivery)
	replicas := []*testapp.App{a, b}

	// Each person is served by both replicas at once, by two clients on
	// each (a person's concurrent requests on one replica must not both
	// take the last exposure), requests back to back.
	const clients = 2
	var wg sync.WaitGroup
	for p := range people {
		visitor := "load-" + strconv.Itoa(p)
		for i := range clients * len(replicas) {
			app := replicas[i%len(replicas)]
			wg.Go(func() {
				for range requests {
					r := app.QueryKey(key, capHome, webVisitor(visitor))
					if len(r.Errors) > 0 {
						t.Errorf("%s: %s", visitor, r.Raw)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	for _, app := range replicas {
		drained(t, app)
	}

	rows, err := a.Pool.Query(t.Context(), `SELECT visitor_id, count(*) FILTER (WHERE blocks @> '[{"blockId":"hero","variant":"teaser"}]'),
		count(*) FROM measurement_decisions WHERE visitor_id LIKE 'load-%' GROUP BY 1`)
	require.NoError(t, err)
	seen := map[string]int{}
	total := 0
	for rows.Next() {
		var v string
		var teaser, all int
		require.NoError(t, rows.Scan(&v, &teaser, &all))
		seen[v] = teaser
		total += all
	}
	require.NoError(t, rows.Err())
	require.Equal(t, people*requests*clients*len(replicas), total, "every delivery was recorded")
	over, worst := 0, 0
	for v, n := range seen {
		require.LessOrEqual(t, n, max+len(replicas)-1, "%s saw the capped variant %d times", v, n)
		if n > max {
			over += n - max
		}
		worst = maxInt(worst, n)
	}
	t.Logf("caps across 2 replicas: %d people × %d clients × %d requests per replica; cap %d; bound %d; worst seen %d; over-deliveries %d (%d people over)",
		people, clients, requests, max, max+len(replicas)-1, worst, over, countOver(seen, max))
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func countOver(seen map[string]int, max int) int {
	n := 0
	for _, s := range seen {
		if s > max {
			n++
		}
	}
	return n
}
