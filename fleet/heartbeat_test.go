package fleet_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/fleet"
)

func offset(f float64) *float64 { return &f }

func valid() fleet.Heartbeat {
	return fleet.Heartbeat{ScreenID: "lobby-1", Screen: "lobby", BundleVersion: "42-0a1b2c3d4e5f6a7b", Frame: "0a1b",
		ClockOffsetMs: offset(-12.5), Channel: "kiosk", Device: "kiosk", Locale: "en", Client: "mosaic-kiosk/1"}
}

func TestHeartbeatValidate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		edit  func(*fleet.Heartbeat)
		field string // "" when valid
	}{
		{"complete", func(*fleet.Heartbeat) {}, ""},
		{"only the required", func(h *fleet.Heartbeat) { *h = fleet.Heartbeat{ScreenID: "a", Screen: "lobby"} }, ""},
		{"id with every allowed character", func(h *fleet.Heartbeat) { h.ScreenID = "Az09._:-" }, ""},
		{"id of 64", func(h *fleet.Heartbeat) { h.ScreenID = strings.Repeat("x", 64) }, ""},
		{"nested slug", func(h *fleet.Heartbeat) { h.Screen = "store/lobby-2" }, ""},
		{"offset at one year", func(h *fleet.Heartbeat) { h.ClockOffsetMs = offset(-fleet.MaxClockOffsetMs) }, ""},
		{"text of 128", func(h *fleet.Heartbeat) { h.Frame = strings.Repeat("f", 128) }, ""},

		{"missing id", func(h *fleet.Heartbeat) { h.ScreenID = "" }, "screenId"},
		{"id of 65", func(h *fleet.Heartbeat) { h.ScreenID = strings.Repeat("x", 65) }, "screenId"},
		{"id with a space", func(h *fleet.Heartbeat) { h.ScreenID = "lobby 1" }, "screenId"},
		{"id with a slash", func(h *fleet.Heartbeat) { h.ScreenID = "lobby/1" }, "screenId"},
		{"id with non-ASCII", func(h *fleet.Heartbeat) { h.ScreenID = "lobbé" }, "screenId"},
		{"empty slug", func(h *fleet.Heartbeat) { h.Screen = "" }, "screen"},
		{"upper-case slug", func(h *fleet.Heartbeat) { h.Screen = "Lobby" }, "screen"},
		{"slug with a dot", func(h *fleet.Heartbeat) { h.Screen = "../lobby" }, "screen"},
		{"slug too long", func(h *fleet.Heartbeat) { h.Screen = strings.Repeat("a", 201) }, "screen"},
		{"frame of 129", func(h *fleet.Heartbeat) { h.Frame = strings.Repeat("f", 129) }, "frame"},
		{"version with a newline", func(h *fleet.Heartbeat) { h.BundleVersion = "42\n" }, "bundleVersion"},
		{"client with non-ASCII", func(h *fleet.Heartbeat) { h.Client = "kiosk™" }, "client"},
		{"client with DEL", func(h *fleet.Heartbeat) { h.Client = "k\x7f" }, "client"},
		{"offset beyond a year", func(h *fleet.Heartbeat) { h.ClockOffsetMs = offset(fleet.MaxClockOffsetMs + 1) }, "clockOffsetMs"},
		{"offset before a year", func(h *fleet.Heartbeat) { h.ClockOffsetMs = offset(-fleet.MaxClockOffsetMs - 1) }, "clockOffsetMs"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := valid()
			tt.edit(&h)
			err := h.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, errs.BadUserInput, e.Code)
			require.Equal(t, tt.field, e.Fields[0].Path, e.Error())
		})
	}
}

func TestHeartbeatValidateListsEveryField(t *testing.T) {
	t.Parallel()
	err := fleet.Heartbeat{ScreenID: "bad id", Screen: "Bad", Frame: "\x00"}.Validate()
	e, ok := errs.As(err)
	require.True(t, ok)
	var paths []string
	for _, f := range e.Fields {
		paths = append(paths, f.Path)
	}
	require.Equal(t, []string{"screenId", "screen", "frame"}, paths)
}

func TestValidSlug(t *testing.T) {
	t.Parallel()
	require.True(t, fleet.ValidSlug("lobby"))
	require.False(t, fleet.ValidSlug("lobby-"))
	require.False(t, fleet.ValidSlug(""))
}
