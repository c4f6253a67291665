package auth

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// TestAllowedMatrix checks every cell. The expectations are written out here
// rather than derived from the grant lists, so a slip in either shows up.
func TestAllowedMatrix(t *testing.T) {
	t.Parallel()

	const y, n = true, false
	rows := []struct {
		perm                             Permission
		admin, publisher, editor, viewer bool
		deliveryKey, previewKey          bool
		eventsKey                        bool
	}{
		{PermModelWrite, y, n, n, n, n, n, n},
		{PermContentRead, y, y, y, y, n, n, n},
		{PermContentWrite, y, y, y, n, n, n, n},
		{PermContentPublish, y, y, n, n, n, n, n},
		{PermCampaignSchedule, y, y, y, n, n, n, n},
		{PermCampaignStop, y, y, n, n, n, n, n},
		{PermFleetWrite, y, y, n, n, n, n, n},
		{PermSegmentWrite, y, y, y, n, n, n, n},
		{PermExperimentWrite, y, y, y, n, n, n, n},
		{PermWebhookWrite, y, n, n, n, n, n, n},
		{PermAPIKeyWrite, y, n, n, n, n, n, n},
		{PermUserWrite, y, n, n, n, n, n, n},
		{PermAuditRead, y, y, n, n, n, n, n},
		{PermDocumentsWrite, y, n, n, n, n, n, n},
		{PermPreview, y, y, y, y, n, y, n},
		{PermEventsWrite, y, n, n, n, n, n, y},
		{PermPeopleRead, y, y, n, n, n, n, n},
		{PermPeopleErase, y, n, n, n, n, n, n},
	}
	require.Len(t, rows, len(Permissions()), "a permission is missing from this table")

	for _, row := range rows {
		for role, want := range map[Role]bool{
			RoleAdmin:     row.admin,
			RolePublisher: row.publisher,
			RoleEditor:    row.editor,
			RoleViewer:    row.viewer,
		} {
			t.Run(string(role)+"/"+string(row.perm), func(t *testing.T) {
				t.Parallel()
				require.Equal(t, want, Allowed(role, row.perm))
				require.Equal(t, want, Principal{Role: role}.Can(row.perm))
			})
		}
		for scope, want := range map[Scope]bool{ScopeDelivery: row.deliveryKey, ScopePreview: row.previewKey, ScopeEventsWrite: row.eventsKey} {
			t.Run(string(scope)+"-key/"+string(row.perm), func(t *testing.T) {
				t.Parallel()
				require.Equal(t, want, ScopeAllows(scope, row.perm))
				// A key's role field is ignored: a key never gains a role's rights.
				require.Equal(t, want, Principal{Kind: KindAPIKey, Scope: scope, Role: RoleAdmin}.Can(row.perm))
			})
		}
	}
}

func TestAllowedUnknown(t *testing.T) {
	t.Parallel()

	for _, perm := range Permissions() {
		require.False(t, Allowed("", perm))
		require.False(t, Allowed("root", perm))
		require.False(t, Allowed("Admin", perm))
	}
	for _, role := range Roles() {
		require.False(t, Allowed(role, ""))
		require.False(t, Allowed(role, "content.*"))
	}
}

// TestDocMatrixMatchesAllowed keeps the table in doc.go honest.
func TestDocMatrixMatchesAllowed(t *testing.T) {
	t.Parallel()

	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)

	row := regexp.MustCompile(`^//\s*\|\s*([a-z.]+)\s*\|(.*)\|\s*$`)
	var header []func(Permission) bool
	var roles []Role
	seen := map[Permission]bool{}
	for line := range strings.Lines(string(src)) {
		m := row.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		cells := strings.Split(m[2], "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if m[1] == "permission" {
			for _, c := range cells {
				if scope, ok := strings.CutSuffix(c, " key"); ok {
					s, err := ParseScope(scope)
					require.NoError(t, err)
					header = append(header, func(p Permission) bool { return ScopeAllows(s, p) })
					continue
				}
				role, err := ParseRole(c)
				require.NoError(t, err)
				roles = append(roles, role)
				header = append(header, func(p Permission) bool { return Allowed(role, p) })
			}
			require.ElementsMatch(t, Roles(), roles)
			require.Len(t, header, len(Roles())+3, "a column per role and per key scope")
			continue
		}
		require.NotEmpty(t, header, "matrix header must come first")
		perm := Permission(m[1])
		require.Contains(t, Permissions(), perm)
		seen[perm] = true
		require.Len(t, cells, len(header), "row %s", perm)
		for i, c := range cells {
			require.Contains(t, []string{"yes", "-"}, c, "row %s", perm)
			require.Equal(t, header[i](perm), c == "yes", "doc.go says column %d/%s is %q", i, perm, c)
		}
	}
	require.Len(t, seen, len(Permissions()), "doc.go's matrix misses a permission")
}

func TestParseRole(t *testing.T) {
	t.Parallel()

	for _, role := range Roles() {
		got, err := ParseRole(string(role))
		require.NoError(t, err)
		require.Equal(t, role, got)
		require.True(t, got.Valid())
	}
	for _, bad := range []string{"", "Editor", " editor", "owner", "admin\x00"} {
		_, err := ParseRole(bad)
		require.Error(t, err, "%q", bad)
		require.Equal(t, errs.BadUserInput, errs.CodeOf(err))
		require.Contains(t, err.Error(), "unknown role")
	}
}
