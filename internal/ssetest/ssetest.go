package ssetest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Frame is one event of a stream.
type Frame struct {
	ID, Event, Data string
	// HasID is true when the frame carried an id field (even empty).
	HasID bool
	// At is when the frame's blank line arrived.
	At time.Time
}

// Stream is an open event stream.
type Stream struct {
	resp   *http.Response
	frames chan Frame
	done   chan struct{}
	err    error
	cancel context.CancelFunc
}

// Dial opens url with header (Last-Event-ID, say). A non-200 answer is an
// error carrying the status and body.
func Dial(ctx context.Context, url string, header http.Header) (*Stream, error) {
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		cancel()
		return nil, &StatusError{Code: resp.StatusCode, Body: string(body)}
	}
	s := &Stream{resp: resp, frames: make(chan Frame, 1024), done: make(chan struct{}), cancel: cancel}
	go s.read(ctx)
	return s, nil
}

// StatusError is a refused stream.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.Code, strings.TrimSpace(e.Body))
}

func (s *Stream) read(ctx context.Context) {
	defer close(s.done)
	defer close(s.frames)
	sc := bufio.NewScanner(s.resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var f Frame
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if f.Event != "" || len(data) > 0 || f.HasID {
				f.Data, f.At = strings.Join(data, "\n"), time.Now()
				select {
				case s.frames <- f:
				case <-ctx.Done():
					s.err = ctx.Err()
					return
				}
			}
			f, data = Frame{}, nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			f.ID, f.HasID = value, true
		case "event":
			f.Event = value
		case "data":
			data = append(data, value)
		}
	}
	s.err = sc.Err()
	if s.err == nil {
		s.err = io.EOF
	}
}

// ErrTimeout is returned by Next when no frame came in time.
var ErrTimeout = errors.New("ssetest: no frame in time")

// Next returns the next frame, io.EOF (or the read error) once the stream
// ended, or ErrTimeout.
func (s *Stream) Next(timeout time.Duration) (Frame, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case f, ok := <-s.frames:
		if !ok {
			return Frame{}, s.err
		}
		return f, nil
	case <-t.C:
		return Frame{}, ErrTimeout
	}
}

// NextEvent skips heartbeats and returns the next other frame.
func (s *Stream) NextEvent(timeout time.Duration) (Frame, error) {
	deadline := time.Now().Add(timeout)
	for {
		f, err := s.Next(time.Until(deadline))
		if err != nil || f.Event != "heartbeat" {
			return f, err
		}
	}
}

// Close ends the stream and waits for its reader.
func (s *Stream) Close() {
	s.cancel()
	s.resp.Body.Close()
	<-s.done
}
