package main

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// pairBare is each mosaic phase's baseline: the bare server's phase of
// the same name that ran next, in the same round. (Keyed by name alone,
// every round was once divided by the last round's bare figure.)
func pairBare(results []*result) map[*result]*result {
	out := map[*result]*result{}
	for i, r := range results {
		if r.server != "mosaic" {
			continue
		}
		for _, b := range results[i+1:] {
			if b.name == r.name && b.server == "mosaic" {
				break // the next round's: this one had no bare phase
			}
			if b.name == r.name && b.server == "bare net/http" {
				out[r] = b
				break
			}
		}
	}
	return out
}

// report prints the phases as a Markdown table, then the details.
func report(results []*result) {
	fmt.Println("| phase | server | req/s | p50 ms | p99 ms | ratio to bare | server cores | req/s per server core | PostgreSQL cores | load generator cores | RSS / peak MB (anonymous) | cache HIT / MISS / BYPASS | 304s | errors |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
	bare := pairBare(results)
	for _, r := range results {
		ratio := ""
		if b := bare[r]; b != nil && b.rps() > 0 {
			ratio = fmt.Sprintf("%.2f×", r.rps()/b.rps())
		}
		pg := ""
		if r.server != "bare net/http" {
			pg = fmt.Sprintf("%.2f", r.pgCPU.Seconds()/r.wall.Seconds())
		}
		cache := ""
		if n := r.cache["HIT"] + r.cache["MISS"] + r.cache["BYPASS"]; n > 0 {
			cache = fmt.Sprintf("%d / %d / %d (%.1f %% hits)", r.cache["HIT"], r.cache["MISS"], r.cache["BYPASS"], 100*float64(r.cache["HIT"])/float64(n))
		}
		cores := r.cpu.Seconds() / r.wall.Seconds()
		fmt.Printf("| %s | %s | %.0f | %s | %s | %s | %.2f | %.0f | %s | %.2f | %.0f / %.0f (%.0f) | %s | %d | %d |\n",
			r.name, r.server, r.rps(), ms(r.percentile(0.50)), ms(r.percentile(0.99)), ratio,
			cores, r.rps()/max(cores, 0.01), pg, r.selfCPU.Seconds()/r.wall.Seconds(), r.rss, r.hwm, r.anon, cache, r.notModified, r.errors)
	}
	fmt.Println()
	for _, r := range results {
		var extra []string
		if r.before+r.during+r.after+r.inFlight > 0 {
			extra = append(extra, fmt.Sprintf("stale answers: %d (checked: %d before startsAt, %d in the window, %d after endsAt; %d in flight across a boundary)",
				r.stale, r.before, r.during, r.after, r.inFlight))
		}
		if len(r.other) > 0 {
			var codes []string
			for c, n := range r.other {
				codes = append(codes, fmt.Sprintf("%d×%d", n, c))
			}
			sort.Strings(codes)
			extra = append(extra, "statuses "+strings.Join(codes, ", "))
		}
		if r.firstError != "" {
			extra = append(extra, "first problem: "+r.firstError)
		}
		fmt.Printf("- %s, %s: %d requests in %s, %.0f B/answer, load average %s → %s. %s\n",
			r.name, r.server, r.requests, r.wall.Round(time.Millisecond), float64(r.bytes)/float64(max(1, r.requests)),
			r.loadStart, r.loadEnd, strings.Join(extra, "; "))
	}
}
