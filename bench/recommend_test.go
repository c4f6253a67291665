package bench

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// BenchmarkRecommendFreshness measures how long a view takes from POST
// /collect (202) to the delivered answer reflecting it (issue 19): the
// log, the consumer's batch and commit, the engine, the ranking refresh
// (popular: at most every second, the default) and the response cache's
// bound on such answers. Each op sends one view batch and reads home until
// the bestsellers block shows it; the read loop is the measuring
// instrument (a read every 2 ms), so figures carry that granularity.
//
//	go run ./internal/tools/testenv -- go test ./bench/ -run '^$' -bench BenchmarkRecommendFreshness -benchtime 30x
func BenchmarkRecommendFreshness(b *testing.B) {
	for _, source := range []string{"recentlyViewed", "popular"} {
		b.Run(source, func(b *testing.B) {
			app := testapp.New(b, testapp.Options{Measurement: true})
			admin, events, read := app.Token(auth.RoleAdmin), app.APIKey(auth.ScopeEventsWrite), app.APIKey(auth.ScopeDelivery)
			r := app.Query(admin, `{ contentType(key: "productList") { version } }`, nil)
			r = app.Query(admin, fmt.Sprintf(`mutation { changeContentType(key: "productList", expectedVersion: %v, changes: {changeFields: [
				{key: "products", kind: REFERENCE, list: true, allowedTypes: ["product"], min: 1, max: 24,
				 recommend: {source: %q, limit: 1}}]}) { applied } }`, testapp.Path(r.Data, "contentType", "version"), source), nil)
			if len(r.Errors) > 0 {
				b.Fatal(r.Raw)
			}
			r = app.QueryKey(read, `{ entries(type: "product", first: 10) { edges { node { id slug } } } }`, nil)
			var ids, slugs []string
			for _, e := range testapp.Path(r.Data, "entries", "edges").([]any) {
				n := e.(map[string]any)["node"].(map[string]any)
				ids, slugs = append(ids, n["id"].(string)), append(slugs, n["slug"].(string))
			}
			views := make([]int, len(ids)) // popular: each product's views so far
			var lat []time.Duration
			seq := 0
			for i := 0; b.Loop(); i++ {
				p := i % len(ids)
				// popular: enough views to put p first; recentlyViewed: one.
				n := 1
				if source == "popular" {
					n = slices.Max(views) - views[p] + 1
				}
				views[p] += n
				ev := make([]string, n)
				for j := range ev {
					seq++
					ev[j] = fmt.Sprintf(`{"id":"f-%d","type":"view","visitorId":"shopper-%d","entry":%q}`, seq, seq%50, ids[p])
				}
				if source == "recentlyViewed" {
					ev[0] = fmt.Sprintf(`{"id":"f-%d","type":"view","visitorId":"shopper","entry":%q}`, seq, ids[p])
				}
				body := fmt.Appendf(nil, `{"sentAt":%q,"events":[%s]}`, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(ev, ","))
				start := time.Now()
				req, _ := http.NewRequest(http.MethodPost, app.URL+"/collect", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(auth.APIKeyHeader, events)
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != http.StatusAccepted {
					b.Fatal(err, resp)
				}
				resp.Body.Close()
				want := `"linked":[{"slug":"` + slugs[p] + `"}]`
				for deadline := start.Add(30 * time.Second); ; {
					r := app.QueryKey(read, `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) {
						blocks { id linked(field: "products") { slug } } } }`, map[string]any{"ctx": map[string]any{"visitorId": "shopper"}})
					if strings.Contains(r.Raw, `"id":"bestsellers",`+want) {
						break
					}
					if time.Now().After(deadline) {
						b.Fatalf("view %d not reflected within 30 s: %s", i, r.Raw)
					}
					time.Sleep(2 * time.Millisecond)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*95/100].Milliseconds()), "p95-ms")
			b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
		})
	}
}
