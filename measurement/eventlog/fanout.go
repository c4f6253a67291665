package eventlog

import "github.com/nats-io/nats.go"

// FanoutPrefix starts the subjects Publish and Subscribe use: plain NATS
// (not JetStream, outside the stream's subjects), so a message reaches
// every replica connected at the time and is kept by none.
const FanoutPrefix = "mosaic-fanout."

// Publish sends data to every subscriber of subject (FanoutPrefix is
// added), on every replica connected to the same NATS server or cluster.
// At most once: a replica that is not connected misses it.
func (l *Log) Publish(subject string, data []byte) error {
	return l.nc.Publish(FanoutPrefix+subject, data)
}

// Subscribe calls fn with each message published on subject, one at a
// time, until unsubscribe (or Close).
func (l *Log) Subscribe(subject string, fn func(data []byte)) (unsubscribe func(), err error) {
	sub, err := l.nc.Subscribe(FanoutPrefix+subject, func(m *nats.Msg) { fn(m.Data) })
	if err != nil {
		return nil, err
	}
	return func() { _ = sub.Unsubscribe() }, nil
}
