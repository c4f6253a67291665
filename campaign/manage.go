package campaign

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/personalization"
)

// Input is what createCampaign takes.
type Input struct {
	Key         string
	Name        string
	Description string
	// TimeZone defaults to UTC.
	TimeZone string
	Priority int
	// Channels scopes the campaign; empty means every channel.
	Channels []string
	// Cap limits how often one person sees the campaign; nil: none.
	Cap *personalization.Cap
	// Cost is what the campaign cost; nil: not given.
	Cost *Money
	// Holdout is the share of the campaign's audience kept on the
	// defaults, 0 to personalization.MaxHoldout; 0: none.
	Holdout float64
}

// Patch is what updateCampaign takes; nil members stay as they are. The
// key is fixed: variants name the campaign by it.
type Patch struct {
	Name        *string
	Description *string
	TimeZone    *string
	Priority    *int
	Channels    *[]string
	// Cap sets the frequency cap; ClearCap removes it.
	Cap      *personalization.Cap
	ClearCap bool
	// Cost sets what the campaign cost; ClearCost removes it.
	Cost      *Money
	ClearCost bool
	// Holdout sets the holdout share (0 removes the holdout).
	Holdout *float64
}

const (
	maxNameLength        = 200
	maxDescriptionLength = 4000
	maxPriority          = 1 << 30
)

// validate checks the descriptive fields of c.
func (s *Service) validate(c Campaign) error {
	var fields []errs.FieldError
	add := func(path, format string, args ...any) {
		fields = append(fields, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if !keyPattern.MatchString(c.Key) {
		add("key", "campaign key must be 1-64 letters, digits, _ or -, starting with a letter or digit")
	}
	switch name := strings.TrimSpace(c.Name); {
	case name == "":
		add("name", "name is required")
	case len(c.Name) > maxNameLength:
		add("name", "name is longer than %d bytes", maxNameLength)
	}
	if len(c.Description) > maxDescriptionLength {
		add("description", "description is longer than %d bytes", maxDescriptionLength)
	}
	if _, err := LoadZone(c.TimeZone); err != nil {
		add("timeZone", "%s", err.Error())
	}
	if c.Priority < -maxPriority || c.Priority > maxPriority {
		add("priority", "must be between -%d and %d", maxPriority, maxPriority)
	}
	for i, ch := range c.Channels {
		switch {
		case !slices.Contains(s.cfg.Registry.Channels, ch):
			add(fmt.Sprintf("channels.%d", i), "unknown channel %q; allowed: %s", ch, strings.Join(s.cfg.Registry.Channels, ", "))
		case slices.Contains(c.Channels[:i], ch):
			add(fmt.Sprintf("channels.%d", i), "channel %q is listed twice", ch)
		}
	}
	if c.Cap != nil {
		fields = append(fields, c.Cap.Validate("cap.", true)...)
	}
	if c.Cost != nil {
		fields = append(fields, c.Cost.validate("cost.")...)
	}
	fields = append(fields, personalization.ValidateHoldout(c.Holdout)...)
	if len(fields) == 0 {
		return nil
	}
	return errs.Invalid("invalid campaign: "+fields[0].Path+": "+fields[0].Message, fields...)
}

// Create stores a new DRAFT campaign.
func (s *Service) Create(ctx context.Context, actor string, in Input) (Campaign, error) {
	if in.TimeZone == "" {
		in.TimeZone = "UTC"
	}
	now := s.Now()
	c := Campaign{ID: uuid.NewString(), Key: in.Key, Name: strings.TrimSpace(in.Name), Description: in.Description,
		TimeZone: in.TimeZone, Priority: in.Priority, Channels: nonNil(in.Channels), Cap: in.Cap, Cost: in.Cost, Holdout: in.Holdout,
		CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor}
	if err := s.validate(c); err != nil {
		return Campaign{}, err
	}
	out, err := s.store.Create(ctx, c)
	if err != nil {
		return Campaign{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// load reads a campaign for a write and checks expectedVersion (nil: any)
// and that it is not archived.
func (s *Service) load(ctx context.Context, id string, expectedVersion *int) (Campaign, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return Campaign{}, err
	}
	if expectedVersion != nil && *expectedVersion != c.Version {
		return Campaign{}, errs.E(errs.Conflict, "campaign %s is at version %d, not %d: reload and reapply your change",
			c.Key, c.Version, *expectedVersion)
	}
	if c.Archived() {
		return Campaign{}, errs.E(errs.Conflict, "campaign %s is archived", c.Key)
	}
	return c, nil
}

func (s *Service) save(ctx context.Context, w Write) (Campaign, error) {
	w.Campaign.UpdatedAt, w.Campaign.UpdatedBy = w.At, w.Actor
	out, err := s.store.Save(ctx, w)
	if err != nil {
		return Campaign{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// Update changes a campaign's name, description, time zone, priority or
// channels. On a live campaign the change applies at once, everywhere.
func (s *Service) Update(ctx context.Context, actor, id string, p Patch, expectedVersion *int) (Campaign, error) {
	cur, err := s.load(ctx, id, expectedVersion)
	if err != nil {
		return Campaign{}, err
	}
	next := cur
	if p.Name != nil {
		next.Name = strings.TrimSpace(*p.Name)
	}
	if p.Description != nil {
		next.Description = *p.Description
	}
	if p.TimeZone != nil {
		next.TimeZone = *p.TimeZone
	}
	if p.Priority != nil {
		next.Priority = *p.Priority
	}
	if p.Channels != nil {
		next.Channels = nonNil(*p.Channels)
	}
	switch {
	case p.ClearCap:
		next.Cap = nil
	case p.Cap != nil:
		next.Cap = p.Cap
	}
	switch {
	case p.ClearCost:
		next.Cost = nil
	case p.Cost != nil:
		next.Cost = p.Cost
	}
	if p.Holdout != nil {
		next.Holdout = *p.Holdout
	}
	if err := s.validate(next); err != nil {
		return Campaign{}, err
	}
	return s.save(ctx, Write{Campaign: next, ExpectedVersion: cur.Version, Actor: actor, At: s.Now()})
}

// Schedule sets the window [startsAt, endsAt). The window may not lie in
// the past; a live campaign's start moves only with force (its release,
// already published, stays published). Before the start, the whole
// release is validated and snapshotted again.
func (s *Service) Schedule(ctx context.Context, actor, id string, startsAt, endsAt time.Time, force bool, expectedVersion *int) (Campaign, error) {
	cur, err := s.load(ctx, id, expectedVersion)
	if err != nil {
		return Campaign{}, err
	}
	startsAt, endsAt = startsAt.UTC().Truncate(time.Microsecond), endsAt.UTC().Truncate(time.Microsecond)
	now := s.Now()
	status := cur.StatusAt(now)
	switch {
	case status == Ended || status == Stopped:
		return Campaign{}, errs.E(errs.Conflict, "campaign %s is %s: its history stays as it was; create a new campaign", cur.Key, status)
	case !endsAt.After(startsAt):
		return Campaign{}, errs.Invalid("endsAt must be after startsAt",
			errs.FieldError{Path: "endsAt", Message: "the campaign must end after it starts"})
	case !endsAt.After(now):
		return Campaign{}, errs.Invalid("the window is in the past: endsAt "+endsAt.Format(time.RFC3339Nano)+" is not after now",
			errs.FieldError{Path: "endsAt", Message: "must be in the future"})
	case status == Live && !startsAt.Equal(cur.StartsAt) && !force:
		return Campaign{}, errs.E(errs.Conflict, "campaign %s is live since %s: moving its start needs force",
			cur.Key, cur.StartsAt.Format(time.RFC3339Nano))
	case status != Live && startsAt.Before(now):
		return Campaign{}, errs.Invalid("startsAt "+startsAt.Format(time.RFC3339Nano)+" is in the past: use launchCampaign to start now",
			errs.FieldError{Path: "startsAt", Message: "must not be in the past"})
	}
	next := cur
	next.StartsAt, next.EndsAt = startsAt, endsAt
	w := Write{Campaign: next, ExpectedVersion: cur.Version, Actor: actor, At: now}
	if status == Draft || status == Scheduled {
		if w.Snapshot, err = s.validateRelease(ctx, cur); err != nil {
			return Campaign{}, err
		}
		w.DropPending = true
	}
	return s.save(ctx, w)
}

// ScheduleLocal is Schedule with wall-clock times in the campaign's time
// zone ("2026-12-24T00:00"); ambiguous or skipped local times are refused.
func (s *Service) ScheduleLocal(ctx context.Context, actor, id, startsAt, endsAt string, force bool, expectedVersion *int) (Campaign, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return Campaign{}, err
	}
	zone, err := LoadZone(cur.TimeZone)
	if err != nil {
		return Campaign{}, errs.Wrap(errs.Internal, err, "campaign %s has a bad time zone", cur.Key)
	}
	start, err := ParseLocal(startsAt, zone, "startsAt")
	if err != nil {
		return Campaign{}, err
	}
	end, err := ParseLocal(endsAt, zone, "endsAt")
	if err != nil {
		return Campaign{}, err
	}
	return s.Schedule(ctx, actor, id, start, end, force, expectedVersion)
}

// Launch starts a DRAFT or SCHEDULED campaign now, on every channel, its
// release included. endsAt is required for a draft; for a scheduled
// campaign it defaults to the scheduled end.
func (s *Service) Launch(ctx context.Context, actor, id string, endsAt *time.Time) (Campaign, error) {
	cur, err := s.load(ctx, id, nil)
	if err != nil {
		return Campaign{}, err
	}
	now := s.Now()
	status := cur.StatusAt(now)
	if status != Draft && status != Scheduled {
		return Campaign{}, errs.E(errs.Conflict, "campaign %s is %s: only a draft or scheduled campaign can be launched", cur.Key, status)
	}
	end := cur.EndsAt
	if endsAt != nil {
		end = endsAt.UTC().Truncate(time.Microsecond)
	}
	switch {
	case end.IsZero():
		return Campaign{}, errs.Invalid("endsAt is required to launch a draft campaign",
			errs.FieldError{Path: "endsAt", Message: "required: the campaign has no window yet"})
	case !end.After(now):
		return Campaign{}, errs.Invalid("endsAt must be in the future", errs.FieldError{Path: "endsAt", Message: "must be after now"})
	}
	next := cur
	next.StartsAt, next.EndsAt = now, end
	w := Write{Campaign: next, ExpectedVersion: cur.Version, Actor: actor, At: now, DropPending: true}
	if w.Snapshot, err = s.validateRelease(ctx, cur); err != nil {
		return Campaign{}, err
	}
	return s.save(ctx, w)
}

// Stop is the kill switch: from now on the campaign is not live on any
// channel. Stopped before its start, its release is cancelled; stopped
// while live, what its release published stays published.
func (s *Service) Stop(ctx context.Context, actor, id string) (Campaign, error) {
	cur, err := s.load(ctx, id, nil)
	if err != nil {
		return Campaign{}, err
	}
	now := s.Now()
	status := cur.StatusAt(now)
	if status != Scheduled && status != Live {
		return Campaign{}, errs.E(errs.Conflict, "campaign %s is %s: only a scheduled or live campaign can be stopped", cur.Key, status)
	}
	next := cur
	next.StoppedAt, next.StoppedBy = now, actor
	return s.save(ctx, Write{Campaign: next, ExpectedVersion: cur.Version, Actor: actor, At: now, DropPending: status == Scheduled})
}

// Archive hides a DRAFT, ENDED or STOPPED campaign from lists. Its
// history (and the variants naming it) stay valid.
func (s *Service) Archive(ctx context.Context, actor, id string) (Campaign, error) {
	cur, err := s.load(ctx, id, nil)
	if err != nil {
		return Campaign{}, err
	}
	now := s.Now()
	if status := cur.StatusAt(now); status == Scheduled || status == Live {
		return Campaign{}, errs.E(errs.Conflict, "campaign %s is %s: stop it first", cur.Key, status)
	}
	next := cur
	next.ArchivedAt = now
	return s.save(ctx, Write{Campaign: next, ExpectedVersion: cur.Version, Actor: actor, At: now})
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return slices.Clone(list)
}
