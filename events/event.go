package events

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/mosaichq/mosaic/delivery/surrogate"
)

// Event types. Campaign events are announced once by the scheduler;
// changed is recorded with every content change.
const (
	TypeCampaignStarted = "campaign.started"
	TypeCampaignEnded   = "campaign.ended"
	TypeCampaignStopped = "campaign.stopped"
	TypeChanged         = "changed"
)

// Report event types (issue 18's scheduled reports): each running
// experiment's summary once per UTC day, and an experiment's run reaching
// its planned sample size, once. They carry experiment results, which are
// editors' data: they go to webhook endpoints (registered by admins) and
// never to /events streams, which delivery keys open (Filter.Match).
const (
	TypeReportDaily   = "report.daily"
	TypeSampleReached = "experiment.sample_reached"
)

// Types lists every event type a stream client may ask for.
func Types() []string {
	return []string{TypeCampaignStarted, TypeCampaignEnded, TypeCampaignStopped, TypeChanged}
}

// WebhookTypes lists every event type a webhook endpoint may ask for:
// the stream's and the reports'.
func WebhookTypes() []string {
	return append(Types(), TypeReportDaily, TypeSampleReached)
}

// IsReport reports whether typ is a report event (see TypeReportDaily).
func IsReport(typ string) bool { return typ == TypeReportDaily || typ == TypeSampleReached }

// ScreenType is the content type whose entries kiosks display: a change of a
// screen entry reaches only subscribers of that screen (or of every screen).
const ScreenType = "screen"

// Event is one entry of the event log.
type Event struct {
	// ID orders the log; a client resumes after the last ID it saw.
	ID   int64
	Type string
	// At is the instant the event is about: a campaign's transition, or
	// when content changed.
	At time.Time
	// CreatedAt is when the event was recorded (announced).
	CreatedAt time.Time
	// Campaign is set on campaign events, Change on changed events.
	Campaign *Campaign
	Change   *Change
	// Report is a report event's data (IsReport), as its producer wrote it.
	Report json.RawMessage
}

// Campaign names the campaign an announcement is about and its scope.
type Campaign struct {
	ID  string `json:"id"`
	Key string `json:"key"`
	// Channels and Devices scope the campaign; empty means all.
	Channels []string `json:"channels,omitempty"`
	Devices  []string `json:"devices,omitempty"`
}

// Change describes a content change. Entry, Locale, Type and Slug are set
// when one entry changed, Campaign when a campaign was written; a model or
// personalization change names only its action (and maybe a type).
type Change struct {
	Epoch  int64  `json:"epoch"`
	Action string `json:"action"`
	Entry  string `json:"entry,omitempty"`
	Locale string `json:"locale,omitempty"`
	Type   string `json:"type,omitempty"`
	Slug   string `json:"slug,omitempty"`
	// Campaign names the campaign a campaign write (action "campaign":
	// an edit, a schedule, a release change) was about.
	Campaign *Campaign `json:"campaign,omitempty"`
	// Reason is "resync" on a synthetic event telling a client it missed
	// history and must refetch everything.
	Reason string `json:"reason,omitempty"`
}

// Envelope is the JSON clients receive, on the stream and in webhook
// bodies: Standard Webhooks' {type, timestamp, data} plus the event id.
type Envelope struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// campaignData is the data of a campaign event.
type campaignData struct {
	Campaign    *Campaign `json:"campaign"`
	At          time.Time `json:"at"`
	AnnouncedAt time.Time `json:"announcedAt"`
	Purge       []string  `json:"purge"`
}

// changeData is the data of a changed event.
type changeData struct {
	*Change
	Purge []string `json:"purge"`
}

// Purge lists the surrogate keys of the delivered answers e makes stale:
// what a CDN's purge hook (a webhook endpoint) purges. A campaign's
// transition or edit stales the answers whose variants name it; an
// entry's change stales the answers showing it and the lists of its type;
// any other change (the model, segments, experiments) may change every
// answer.
func (e Event) Purge() []string {
	switch {
	case IsReport(e.Type):
		return nil // a report changes no answer
	case e.Campaign != nil:
		return []string{surrogate.Campaign(e.Campaign.Key)}
	case e.Change != nil && e.Change.Campaign != nil:
		return []string{surrogate.Campaign(e.Change.Campaign.Key)}
	case e.Change != nil && e.Change.Entry != "":
		keys := []string{surrogate.Entry(e.Change.Entry)}
		if e.Change.Type != "" {
			keys = append(keys, surrogate.Type(e.Change.Type))
		}
		return keys
	}
	return []string{surrogate.All}
}

// Envelope returns e as clients see it.
func (e Event) Envelope() Envelope {
	env := Envelope{ID: strconv.FormatInt(e.ID, 10), Type: e.Type, Timestamp: e.At.UTC()}
	switch {
	case e.Campaign != nil:
		env.Data = campaignData{Campaign: e.Campaign, At: e.At.UTC(), AnnouncedAt: e.CreatedAt.UTC(), Purge: e.Purge()}
	case e.Change != nil:
		env.Data = changeData{Change: e.Change, Purge: e.Purge()}
	case e.Report != nil:
		env.Data = e.Report
	default:
		env.Data = struct{}{}
	}
	if e.ID == 0 {
		env.ID = ""
	}
	return env
}

// JSON is the envelope encoded; it cannot fail for these types.
func (e Event) JSON() []byte {
	b, err := json.Marshal(e.Envelope())
	if err != nil {
		panic(err) // only plain strings, numbers and times
	}
	return b
}

// Channels is the channel scope of e; empty means every channel.
func (e Event) Channels() []string {
	if e.Campaign != nil {
		return e.Campaign.Channels
	}
	return nil
}

// Devices is the device scope of e; empty means every device.
func (e Event) Devices() []string {
	if e.Campaign != nil {
		return e.Campaign.Devices
	}
	return nil
}

// Screen is the screen e concerns, or "" when it may concern any screen:
// a change of any other entry may be referenced from a screen (a global
// promo block), so only screen entries themselves are narrowed.
func (e Event) Screen() string {
	if e.Change != nil && e.Change.Type == ScreenType {
		return e.Change.Slug
	}
	return ""
}

// inScope reports whether want is allowed by scope (empty = everything).
func inScope(scope []string, want string) bool {
	return len(scope) == 0 || slices.Contains(scope, want)
}
