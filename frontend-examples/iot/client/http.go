package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// requestTimeout bounds one ordinary request (not the event stream): a
// stuck request must not hold the poll loop past its backoff.
const requestTimeout = 15 * time.Second

// StatusError is an HTTP answer other than the expected one.
type StatusError struct {
	Status  int
	Code    string
	Message string
}

func (e *StatusError) Error() string {
	s := "HTTP " + strconv.Itoa(e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// do sends one request to the API with the key, if any. path may be
// absolute or relative to the API base.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, hdr http.Header) (*http.Response, error) {
	// Server paths are rooted at the API base, which may itself have a
	// path (behind a proxy); a protocol-relative URL keeps its host.
	if !strings.HasPrefix(path, "//") {
		path = strings.TrimPrefix(path, "/")
	}
	u, err := c.base.Parse(path)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", UserAgent)
	// The key goes to the API's own origin only, never to a CDN or a
	// presigned storage URL an asset may point at.
	if c.cfg.Key != "" && u.Host == c.base.Host && u.Scheme == c.base.Scheme {
		req.Header.Set("X-API-Key", c.cfg.Key)
	}
	return c.http.Do(req)
}

// httpError reads an error answer: the server's REST errors are
// {"error":{"code","message"}}, GraphQL-shaped ones {"errors":[…]}; both
// are accepted so the log says what the server said.
func httpError(resp *http.Response) error {
	e := &StatusError{Status: resp.StatusCode}
	body, _ := readLimited(resp.Body, 16<<10)
	var doc struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	switch {
	case json.Unmarshal(body, &doc) != nil:
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200]
		}
	case doc.Error != nil:
		e.Code, e.Message = doc.Error.Code, doc.Error.Message
	case len(doc.Errors) > 0:
		e.Code, e.Message = doc.Errors[0].Extensions.Code, doc.Errors[0].Message
	}
	return e
}

// errTooLarge is a body over its bound.
var errTooLarge = errors.New("the response is larger than allowed")

func readLimited(r io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, n+1))
	if err == nil && int64(len(b)) > n {
		return nil, fmt.Errorf("%w (%d bytes)", errTooLarge, n)
	}
	return b, err
}

// maxAge reads Cache-Control's max-age. Without one the client polls
// every defaultPoll: the server always sends it, a proxy may strip it.
func maxAge(cc string) time.Duration {
	for _, d := range strings.Split(cc, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(d), "=")
		if !strings.EqualFold(k, "max-age") {
			continue
		}
		if n, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
	}
	return defaultPoll
}

// pollAfter is when to ask again after an answer with max-age d: never
// sooner than a second (the server says 0 at a boundary), never later
// than maxPoll, plus jitter.
func pollAfter(d time.Duration) time.Duration {
	return jitter(min(max(d, minPoll), maxPoll))
}

const (
	minPoll     = time.Second
	maxPoll     = 10 * time.Minute
	defaultPoll = time.Minute
)
