package postgres

import (
	"encoding/json"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Change is one change-feed notification.
type Change struct {
	Epoch  int64  `json:"epoch"`
	Action string `json:"action"` // publish, unpublish, delete, model; resync after a reconnect
	Entry  string `json:"entry,omitempty"`
	Locale string `json:"locale,omitempty"`
	Type   string `json:"type,omitempty"`
}

// Feed LISTENs on the change channel and hands each change to a handler.
// It is a Listener on ChangesChannel that decodes payloads: after a
// dropped connection it emits a "resync" change, because notifications
// sent while it was away are lost and caches must be dropped wholesale.
type Feed struct {
	*Listener
}

// NewFeed returns a feed; Start begins listening, Ready is closed once the
// first LISTEN is in place, Stop (safe twice) ends it.
func NewFeed(pool *pgxpool.Pool, log *slog.Logger, handler func(Change)) *Feed {
	var reconnect bool
	connected := func() {
		// The listener's own goroutine runs this, so reconnect needs no lock.
		if reconnect {
			handler(Change{Action: "resync"})
		}
		reconnect = true
	}
	notify := func(_, payload string) {
		var c Change
		if err := json.Unmarshal([]byte(payload), &c); err != nil {
			log.Error("bad change notification", "payload", payload, "error", err)
			c = Change{Action: "resync"}
		}
		handler(c)
	}
	return &Feed{Listener: NewListener(pool, log, []string{ChangesChannel}, notify, connected)}
}
