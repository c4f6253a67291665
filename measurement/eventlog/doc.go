// Package eventlog is measurement's durable log on NATS JetStream: accepted
// client events are appended to a stream before /collect answers 202, and a
// consumer writes them into the store (PostgreSQL) in batches.
//
// By default the NATS server is embedded in the process: file storage in
// the data dir, listening on no port (the process connects in-process), no
// setup. With a URL ([Config].URL, MOSAIC_NATS_URL) it uses an external
// server or cluster instead, and replicas share one stream and one durable
// consumer, so each event is written once whichever replica accepted it.
//
// The stream (subjects mosaic.wire1.events.<type>) is a work queue: an event
// leaves it when the consumer acknowledges it, after the store's commit.
// Its bounds (MaxBytes, MaxMsgs) are the buffer: when the store is away
// for long enough to fill them, Append fails with measurement.ErrLogFull
// (a 503 with Retry-After to the client) instead of growing without end.
// Events go up to 64 of one type per message (measurement/wire's binary
// form: a message each cost more than the event); a message's Nats-Msg-Id is its event's
// id, or a digest of its ids, so a batch resent whole within the dedupe
// window is dropped by JetStream (one remembered id per message, not per
// event); the store's (id, day) key drops what comes later or overlaps
// only partly. A message the store refuses is retried event by event:
// only the events refused alone are dropped.
//
// The consumer writes what it fetched in transactions of about 2,000
// items, two at a time across all consumers (one waits on PostgreSQL
// while the other encodes); a fetch of only a few messages waits 200 ms
// once for more ([Config].Linger), since a transaction costs its round
// trips whatever its size.
//
// When the store fails, the consumer keeps its batch and retries with
// backoff, telling JetStream the messages are still in progress, so events
// accepted during a database outage land when it returns. A batch the
// store refuses for what it holds (not an outage) is split, and the events
// that still fail alone are logged and terminated: one poison event must
// not stall the log.
//
// Decision records (measurement.Decision, from delivery through a
// measurement.Recorder) share the stream on subject mosaic.wire1.decisions,
// up to 64 per message in measurement/wire's form, named by its first and
// last ids (Nats-Msg-Id; [Log.AppendDecisions]: a message each cost more
// than the record),
// and have their own durable consumer (mosaic-decisions-wire1) writing them to
// [Config].Decisions the same way: batches, retries while the store is
// away, acknowledged after the commit.
//
// Upgrades: earlier versions appended JSON on mosaic.events.<type> and
// mosaic.decisions, read by the durable consumers mosaic-store and
// mosaic-decisions. Every replica still runs those two, so what an
// earlier version left in the stream is written (measurement/wire reads
// its JSON), and this version appends on its own subjects, which those
// consumers never see: a replica of the earlier version sharing the
// stream during a rolling upgrade cannot take a message it would fail to
// read and drop. An earlier version restarted during the upgrade sets
// the stream's subjects back to its own: the next append of this version
// that nothing takes adds this version's subjects again, keeping the
// others, and is sent once more, so /collect does not answer 503 for it.
//
// Publish and Subscribe (fanout.go) carry what every replica must hear
// once committed (measurement/recommend's batches) over plain NATS on the
// same server or cluster: at most once, outside the stream.
//
// Durability: JetStream acknowledges a publish once the message is written
// to its file (the OS has it), so a process killed with -9 loses no
// accepted event (what it had pulled and not yet written is redelivered
// when the message's ack wait, 30 s, runs out); fsync follows the server's sync interval (2 minutes by
// default), so a power loss may lose what was not yet synced.
package eventlog
