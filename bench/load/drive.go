package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
)

// mode is what a phase sends.
type mode int

const (
	modePOST mode = iota // the page query's text in a JSON body
	modeGET              // GET /graphql?documentId=…&variables=…
	modeINM              // a GET the client has an ETag for, with If-None-Match
)

// server is what a phase drives.
type server struct {
	name string
	base string
	pid  int
	pg   int // the PostgreSQL server to count cores of (0: none)
}

// phase is one bounded run of the workers against one server.
type phase struct {
	name     string
	srv      server
	mode     mode
	duration time.Duration
	conns    int
	pages    int
	seed     uint64
	// revalidate holds the (URL, ETag) pairs of earlier GETs; etag, when
	// set, replaces their ETags (the bare server has one).
	revalidate []validated
	etag       string
	// stale, when set, checks every answer against the campaign's window
	// [start, end).
	stale      *staleCampaign
	start, end time.Time
	// countCaps counts the answers in which a frequency cap held a
	// variant back (a decision reason mentions "capped").
	countCaps bool
}

type validated struct{ url, etag string }

// result is what one phase measured.
type result struct {
	name, server                  string
	requests, errors, notModified int
	other                         map[int]int
	cache                         map[string]int // X-Mosaic-Cache values
	latencies                     []time.Duration
	wall                          time.Duration
	cpu, pgCPU, selfCPU           time.Duration
	rss, hwm, anon                float64
	bytes                         int64
	stale, inFlight               int
	capped                        int
	before, during, after         int
	firstError                    string
	loadStart, loadEnd            string
	learned                       []validated
}

func (r *result) rps() float64 { return float64(r.requests) / r.wall.Seconds() }

func (r *result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(float64(len(r.latencies))*p))]
}

// visitor draws one visitor of the 27 classes; its id varies, its class
// is what the answer depends on.
func visitorVars(r *rand.Rand, pages int) []byte {
	seg, dev, ch := r.IntN(3), r.IntN(3), r.IntN(3)
	b := fmt.Appendf(nil, `{"slug":%q,"locale":"en","context":{"visitorId":"v%d","device":%q,"channel":%q,`,
		slugOf(r.IntN(pages)), r.IntN(1000), devices[dev], channels[ch])
	switch segments[seg] {
	case "vip":
		b = append(b, `"segments":["vip"],"traits":{"visits":1,"cart_value":20}}}`...)
	case "returning":
		b = append(b, `"traits":{"visits":5,"cart_value":20}}}`...)
	default:
		b = append(b, `"traits":{"visits":1,"cart_value":150}}}`...)
	}
	return b
}

var postPrefix = postPrefixOf(pageQuery)

// postPrefixOf is a POST body up to its variables' value.
func postPrefixOf(query string) []byte {
	q, _ := json.Marshal(query)
	return append([]byte(`{"query":`), append(q, `,"variables":`...)...)
}

func (p *phase) request(ctx context.Context, r *rand.Rand) (*http.Request, string, error) {
	switch p.mode {
	case modeGET:
		u := p.srv.base + "/graphql?documentId=" + documentID + "&variables=" + url.QueryEscape(string(visitorVars(r, p.pages)))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		return req, u, err
	case modeINM:
		v := p.revalidate[r.IntN(len(p.revalidate))]
		u := p.srv.base + v.url
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err == nil {
			etag := v.etag
			if p.etag != "" {
				etag = p.etag
			}
			req.Header.Set("If-None-Match", etag)
		}
		return req, u, err
	default:
		body := append(append(slices.Clip(postPrefix), visitorVars(r, p.pages)...), '}')
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.srv.base+"/graphql", bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, "", err
	}
}

// run drives the phase: conns workers, each sending one request at a time
// until the duration is over.
func (p *phase) run(ctx context.Context) *result {
	ctx, cancel := context.WithTimeout(ctx, p.duration)
	defer cancel()
	tr := &http.Transport{MaxConnsPerHost: p.conns, MaxIdleConnsPerHost: p.conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	res := &result{name: p.name, server: p.srv.name, other: map[int]int{}, cache: map[string]int{}, loadStart: loadAvg()}
	var mu sync.Mutex
	var wg sync.WaitGroup
	cpu0, pg0, self0 := procCPU(p.srv.pid), treeCPU(p.srv.pg), procCPU(os.Getpid())
	start := time.Now()
	for w := range p.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := p.worker(ctx, client, rand.New(rand.NewPCG(p.seed, uint64(w))))
			mu.Lock()
			res.merge(local)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.wall = time.Since(start)
	res.cpu, res.pgCPU, res.selfCPU = procCPU(p.srv.pid)-cpu0, treeCPU(p.srv.pg)-pg0, procCPU(os.Getpid())-self0
	res.rss, res.hwm, res.anon = memory(p.srv.pid)
	res.loadEnd = loadAvg()
	slices.Sort(res.latencies)
	return res
}

func (r *result) merge(o *result) {
	r.requests += o.requests
	r.errors += o.errors
	r.notModified += o.notModified
	for k, v := range o.other {
		r.other[k] += v
	}
	for k, v := range o.cache {
		r.cache[k] += v
	}
	r.latencies = append(r.latencies, o.latencies...)
	r.bytes += o.bytes
	r.stale += o.stale
	r.capped += o.capped
	r.inFlight += o.inFlight
	r.before += o.before
	r.during += o.during
	r.after += o.after
	if r.firstError == "" {
		r.firstError = o.firstError
	}
	r.learned = append(r.learned, o.learned...)
}

// maxLearned bounds the ETags one worker keeps for the revalidation phase.
const maxLearned = 4000

func (p *phase) worker(ctx context.Context, client *http.Client, r *rand.Rand) *result {
	res := &result{other: map[int]int{}, cache: map[string]int{}, latencies: make([]time.Duration, 0, 1<<14)}
	var buf bytes.Buffer
	for ctx.Err() == nil {
		req, u, err := p.request(ctx, r)
		if err != nil {
			res.fail(err.Error())
			continue
		}
		sent := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				res.fail(err.Error())
			}
			continue
		}
		buf.Reset()
		_, err = buf.ReadFrom(resp.Body)
		_ = resp.Body.Close()
		recv := time.Now()
		if err != nil {
			if ctx.Err() == nil {
				res.fail(err.Error())
			}
			continue
		}
		res.requests++
		res.latencies = append(res.latencies, recv.Sub(sent))
		res.bytes += int64(buf.Len())
		if c := resp.Header.Get("X-Mosaic-Cache"); c != "" {
			res.cache[c]++
		}
		switch {
		case resp.StatusCode == http.StatusNotModified:
			res.notModified++
			continue
		case resp.StatusCode != http.StatusOK:
			res.other[resp.StatusCode]++
			res.fail(strconv.Itoa(resp.StatusCode) + " " + buf.String())
			continue
		case bytes.Contains(buf.Bytes(), []byte(`"errors":`)):
			res.fail(buf.String())
			continue
		}
		if p.mode == modeGET && len(res.learned) < maxLearned {
			if etag := resp.Header.Get("ETag"); etag != "" {
				res.learned = append(res.learned, validated{url: u[len(p.srv.base):], etag: etag})
			}
		}
		if p.countCaps && bytes.Contains(buf.Bytes(), []byte("capped")) {
			res.capped++
		}
		if p.stale != nil {
			p.check(res, buf.Bytes(), sent, recv)
		}
	}
	return res
}

func (r *result) fail(msg string) {
	r.errors++
	if r.firstError == "" {
		r.firstError = msg[:min(len(msg), 300)]
	}
}

// check compares the campaign's block's chosen variant with its
// window at the instants the request was sent and answered: outside the
// window it must not be the campaign's, inside it must; a request in
// flight across a boundary may get either.
func (p *phase) check(res *result, body []byte, sent, recv time.Time) {
	var r struct {
		Data struct {
			Entry struct {
				Blocks []struct {
					ID       string
					Decision struct{ Variant string }
				}
			}
		}
	}
	if err := json.Unmarshal(body, &r); err != nil {
		res.fail("stale check: " + err.Error())
		return
	}
	got := ""
	for _, b := range r.Data.Entry.Blocks {
		if b.ID == p.stale.block {
			got = b.Decision.Variant
		}
	}
	live := func(t time.Time) bool { return !t.Before(p.start) && t.Before(p.end) }
	switch {
	case live(sent) != live(recv):
		res.inFlight++
		return
	case live(sent):
		res.during++
	case sent.Before(p.start):
		res.before++
	default:
		res.after++
	}
	if (got == p.stale.key) != live(sent) {
		res.stale++
		if res.firstError == "" {
			res.firstError = fmt.Sprintf("stale: sent %s, got variant %q, window [%s, %s)",
				sent.Format(time.RFC3339Nano), got, p.start.Format(time.RFC3339Nano), p.end.Format(time.RFC3339Nano))
		}
	}
}

// fetch is one request outside a phase (readiness, the bare body).
func fetch(ctx context.Context, u string) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: %d %s", u, resp.StatusCode, b)
	}
	return b, resp.Header, err
}
