package auth

import (
	"slices"

	"github.com/mosaichq/mosaic/errs"
)

// Role is an editor's role. Roles are fixed; what each may do is the
// permission matrix in the package documentation, answered by [Allowed].
type Role string

const (
	RoleAdmin     Role = "admin"
	RoleEditor    Role = "editor"
	RolePublisher Role = "publisher"
	RoleViewer    Role = "viewer"
)

// Roles lists every role, most powerful first.
func Roles() []Role {
	return []Role{RoleAdmin, RolePublisher, RoleEditor, RoleViewer}
}

// ParseRole returns the role named s. Names are exact and lower case
// ("editor", not "Editor"): they end up in signed tokens and audit rows, where
// one spelling per role keeps comparisons trivial.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", errs.E(errs.BadUserInput, "unknown role %q: want admin, publisher, editor or viewer", s)
	}
	return r, nil
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	_, ok := grants[r]
	return ok
}

func (r Role) String() string { return string(r) }

// Permission names one thing a principal may do. Resolvers ask for exactly one
// permission per operation with [Require].
type Permission string

const (
	// PermModelWrite: create, change and delete content types.
	PermModelWrite Permission = "model.write"
	// PermContentRead: read drafts, history and other management views.
	PermContentRead Permission = "content.read"
	// PermContentWrite: create, update and delete entries and global blocks.
	PermContentWrite Permission = "content.write"
	// PermContentPublish: publish, unpublish and roll back entries.
	PermContentPublish Permission = "content.publish"
	// PermCampaignSchedule: create, edit and schedule campaigns.
	PermCampaignSchedule Permission = "campaign.schedule"
	// PermCampaignStop: the kill switch that stops a live campaign everywhere.
	PermCampaignStop Permission = "campaign.stop"
	// PermFleetWrite: forget screens taken out of service in the fleet view.
	PermFleetWrite Permission = "fleet.write"
	// PermSegmentWrite: define and change audience segments.
	PermSegmentWrite Permission = "segment.write"
	// PermExperimentWrite: define and change experiments.
	PermExperimentWrite Permission = "experiment.write"
	// PermWebhookWrite: manage webhook subscriptions.
	PermWebhookWrite Permission = "webhook.write"
	// PermAPIKeyWrite: create and revoke API keys.
	PermAPIKeyWrite Permission = "apikey.write"
	// PermUserWrite: manage editors and their roles.
	PermUserWrite Permission = "user.write"
	// PermAuditRead: read the audit log.
	PermAuditRead Permission = "audit.read"
	// PermDocumentsWrite: register and delete the frontends' trusted
	// GraphQL documents (what a public caller may run, with enforcement on).
	PermDocumentsWrite Permission = "documents.write"
	// PermPreview: honour `at` and `preview` in the experience context, i.e.
	// see drafts and any instant instead of published content now.
	PermPreview Permission = "preview"
	// PermEventsWrite: report client events (POST /collect). Only admins
	// and events.write API keys hold it: an editor's session is not a
	// visitor's.
	PermEventsWrite Permission = "events.write"
	// PermPeopleRead: read what Mosaic holds about visitors (profiles,
	// decision records, event counts): personal data, so publishers and
	// admins only, never an editor by default.
	PermPeopleRead Permission = "people.read"
	// PermPeopleErase: erase a person's data (right to erasure) and undo
	// identity merges: admins only.
	PermPeopleErase Permission = "people.erase"
)

// Permissions lists every permission in the order of the documented matrix.
func Permissions() []Permission {
	return []Permission{
		PermModelWrite, PermContentRead, PermContentWrite, PermContentPublish,
		PermCampaignSchedule, PermCampaignStop, PermFleetWrite, PermSegmentWrite, PermExperimentWrite,
		PermWebhookWrite, PermAPIKeyWrite, PermUserWrite, PermAuditRead, PermDocumentsWrite, PermPreview, PermEventsWrite,
		PermPeopleRead, PermPeopleErase,
	}
}

func (p Permission) String() string { return string(p) }

// The matrix, built from explicit lists so each role's grant reads in one
// place. Keep doc.go's table in step: TestDocMatrixMatchesAllowed fails
// otherwise.
var (
	viewerGrants = []Permission{PermContentRead, PermPreview}

	editorGrants = append(slices.Clip(viewerGrants),
		PermContentWrite, PermCampaignSchedule, PermSegmentWrite, PermExperimentWrite)

	publisherGrants = append(slices.Clip(editorGrants),
		PermContentPublish, PermCampaignStop, PermFleetWrite, PermAuditRead, PermPeopleRead)

	grants = map[Role]map[Permission]bool{
		RoleAdmin:     set(Permissions()),
		RolePublisher: set(publisherGrants),
		RoleEditor:    set(editorGrants),
		RoleViewer:    set(viewerGrants),
	}
)

func set(perms []Permission) map[Permission]bool {
	m := make(map[Permission]bool, len(perms))
	for _, p := range perms {
		m[p] = true
	}
	return m
}

// Allowed reports whether role may use perm. Unknown roles and unknown
// permissions are never allowed.
func Allowed(role Role, perm Permission) bool {
	return grants[role][perm]
}
