package personalization_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	p "github.com/mosaichq/mosaic/personalization"
)

func TestRegistryValidate(t *testing.T) {
	t.Parallel()
	reg := p.DefaultRegistry()
	tests := []struct {
		name   string
		ctx    p.Context
		fields []string // expected field paths, nil = valid
		msg    string   // substring of the first field message
	}{
		{name: "empty is fine", ctx: p.Context{}},
		{name: "known values", ctx: p.Context{Device: "tv", Channel: "iot"}},
		{name: "unknown device", ctx: p.Context{Device: "fridge", Channel: "web"},
			fields: []string{"context.device"},
			msg:    `unknown device "fridge"; allowed: mobile, tablet, desktop, tv, watch, kiosk`},
		{name: "unknown channel", ctx: p.Context{Channel: "fax"},
			fields: []string{"context.channel"},
			msg:    `unknown channel "fax"; allowed: web, app, kiosk, email, iot`},
		{name: "case matters", ctx: p.Context{Device: "Mobile", Channel: "WEB"},
			fields: []string{"context.device", "context.channel"}, msg: `unknown device "Mobile"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := reg.Validate(tt.ctx)
			if tt.fields == nil {
				require.NoError(t, err)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok, "want *errs.Error, got %v", err)
			require.Equal(t, errs.BadUserInput, e.Code)
			var paths []string
			for _, f := range e.Fields {
				paths = append(paths, f.Path)
			}
			require.Equal(t, tt.fields, paths)
			require.Contains(t, e.Fields[0].Message, tt.msg)
		})
	}
}

func TestDeviceFromUserAgent(t *testing.T) {
	t.Parallel()
	tests := []struct{ ua, want string }{
		{"", ""},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "mobile"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "mobile"},
		{"Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "tablet"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "desktop"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15", "desktop"},
		{"Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36", "tv"},
		{"Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7233; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/70.0.3538.110 Mobile Safari/537.36", "tv"},
		{"Mozilla/5.0 (Linux; Android 12; Chromecast) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36 CrKey/1.56.500000 DeviceType/AndroidTV", "tv"},
		{"Mozilla/5.0 (Linux; Android 11; Galaxy Watch4 Build/RWD1; Wear OS) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/95.0 Mobile Safari/537.36", "watch"},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ""},
		{"curl/8.4.0", ""},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, p.DeviceFromUserAgent(tt.ua), tt.ua)
	}
}
