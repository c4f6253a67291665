// Package config is Mosaic's runtime configuration: one struct, every
// setting with a default, a flag and an environment variable (MOSAIC_*, plus
// the conventional DATABASE_URL), and validate() with precise messages.
package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/personalization"
)

// Config is every setting of a Mosaic process.
type Config struct {
	Addr            string
	DatabaseURL     string
	DataDir         string
	JWTSecret       string
	TokenTTL        time.Duration
	Locales         string
	DefaultLocale   string
	LocaleFallbacks string
	Devices         string
	Channels        string
	MaxBodyBytes    int64
	MaxComplexity   int
	Introspection   bool
	LogLevel        string
	LogFormat       string
	ShutdownTimeout time.Duration
	// CacheMaxAge caps delivery max-age (config_campaigns.go, issue 4).
	CacheMaxAge time.Duration
	// Live events, campaign announcements and webhooks (issue 4).
	EventsHeartbeat     time.Duration
	EventsRetention     time.Duration
	WebhookMaxAttempts  int
	WebhookBackoff      time.Duration
	WebhookTimeout      time.Duration
	WebhookAllowPrivate bool
	// Asset storage and uploads (issue 5, config_assets.go).
	BlobBackend    string
	S3Endpoint     string
	S3Region       string
	S3Bucket       string
	S3AccessKey    string
	S3SecretKey    string
	S3UseSSL       bool
	S3PathStyle    bool
	S3CreateBucket bool
	MaxUploadBytes int64
	PublicURL      string
	// Security: public delivery, CORS, rate limits, query shape, identity
	// provider (issue 7, config_security.go).
	Security SecurityConfig
	// Signed screen bundles (issue 9, config_bundle.go).
	BundleKey          string
	BundlePreviousKeys string
	// The screen fleet view (issue 9, config_fleet.go).
	ScreenHeartbeatInterval time.Duration
	ScreenOfflineAfter      time.Duration
	ScreenFleetMax          int
	ScreenForgetAfter       time.Duration
	// Trusted documents: allow or enforce (issue 15, config_documents.go).
	TrustedDocuments string
	// ResponseCacheBytes bounds the response cache (config_delivery.go).
	ResponseCacheBytes int64
	// ContentCacheBytes bounds the published-content cache
	// (config_delivery.go).
	ContentCacheBytes int64
	// SurrogateHeaders name the headers carrying an answer's surrogate
	// keys (config_delivery.go); empty: none.
	SurrogateHeaders []string
	// Measurement is the client-event pipeline (issue 17, config_measurement.go).
	Measurement MeasurementConfig
	// Recommend is the recommendations' engine (issue 19, config_recommend.go).
	Recommend RecommendConfig
	// OTelEndpoint is where traces are exported (config_telemetry.go).
	OTelEndpoint string
	// Read replicas: streaming-replication standbys for published reads
	// (issue 20, config_replicas.go).
	DatabaseReadURLs   string
	DatabaseReadMaxLag time.Duration
	// NATSReplicas is the event stream's replica count on a NATS cluster
	// (config_replicas.go).
	NATSReplicas int
	// PprofAddr serves Go's profiles on loopback (config_debug.go).
	PprofAddr string
}

// setting binds one field to its flag and environment variable.
type setting struct {
	flag, env, def, usage string
	set                   func(c *Config, v string) error
}

var settings = []setting{
	{"addr", "MOSAIC_ADDR", "127.0.0.1:8080", "address to listen on", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"database-url", "DATABASE_URL", "", "PostgreSQL URL (serve, migrate, seed); dev starts its own cluster", func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"data-dir", "MOSAIC_DATA_DIR", ".mosaic", "directory for local state: dev database, secrets, blobs, indexes", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"jwt-secret", "MOSAIC_JWT_SECRET", "", "HS256 secret for editor tokens (>= 32 bytes); dev keeps one in the data dir", func(c *Config, v string) error { c.JWTSecret = v; return nil }},
	{"token-ttl", "MOSAIC_TOKEN_TTL", "12h", "lifetime of editor tokens issued by `mosaic token`", durationInto(func(c *Config) *time.Duration { return &c.TokenTTL })},
	{"locales", "MOSAIC_LOCALES", "en,ro,ro-RO", "supported locales, comma-separated", func(c *Config, v string) error { c.Locales = v; return nil }},
	{"default-locale", "MOSAIC_DEFAULT_LOCALE", "en", "default locale: holds non-localized fields, ends every fallback chain", func(c *Config, v string) error { c.DefaultLocale = v; return nil }},
	{"locale-fallbacks", "MOSAIC_LOCALE_FALLBACKS", "", "explicit fallbacks, e.g. ro-MD:ro-RO,pt-BR:pt", func(c *Config, v string) error { c.LocaleFallbacks = v; return nil }},
	{"devices", "MOSAIC_DEVICES", "mobile,tablet,desktop,tv,watch,kiosk", "device tokens clients may send and variants may target, comma-separated", func(c *Config, v string) error { c.Devices = v; return nil }},
	{"channels", "MOSAIC_CHANNELS", "web,app,kiosk,email,iot", "channel tokens clients may send and variants may target, comma-separated", func(c *Config, v string) error { c.Channels = v; return nil }},
	{"max-body-bytes", "MOSAIC_MAX_BODY_BYTES", "1048576", "largest accepted GraphQL request body", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		c.MaxBodyBytes = n
		return err
	}},
	{"max-complexity", "MOSAIC_MAX_COMPLEXITY", "2000", "largest accepted query complexity (lists weigh by first)", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		c.MaxComplexity = n
		return err
	}},
	{"introspection", "MOSAIC_INTROSPECTION", "false", "allow GraphQL introspection (dev: true)", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.Introspection = b
		return err
	}},
	{"log-level", "MOSAIC_LOG_LEVEL", "info", "debug, info, warn or error", func(c *Config, v string) error { c.LogLevel = v; return nil }},
	{"log-format", "MOSAIC_LOG_FORMAT", "text", "text or json", func(c *Config, v string) error { c.LogFormat = v; return nil }},
	{"shutdown-timeout", "MOSAIC_SHUTDOWN_TIMEOUT", "15s", "how long shutdown waits for requests in flight", durationInto(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{"events-heartbeat", "MOSAIC_EVENTS_HEARTBEAT", "15s", "interval of heartbeat events on an idle /events stream", durationInto(func(c *Config) *time.Duration { return &c.EventsHeartbeat })},
	{"events-retention", "MOSAIC_EVENTS_RETENTION", "168h", "how long the event log keeps events for Last-Event-ID resume and webhook retries", durationInto(func(c *Config) *time.Duration { return &c.EventsRetention })},
	{"webhook-max-attempts", "MOSAIC_WEBHOOK_MAX_ATTEMPTS", "10", "attempts per webhook delivery before it is marked failed", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		c.WebhookMaxAttempts = n
		return err
	}},
	{"webhook-backoff", "MOSAIC_WEBHOOK_BACKOFF", "30s", "wait after a failed webhook attempt; doubles per attempt up to 1h", durationInto(func(c *Config) *time.Duration { return &c.WebhookBackoff })},
	{"webhook-timeout", "MOSAIC_WEBHOOK_TIMEOUT", "10s", "time limit of one webhook HTTP attempt", durationInto(func(c *Config) *time.Duration { return &c.WebhookTimeout })},
	{"webhook-allow-private", "MOSAIC_WEBHOOK_ALLOW_PRIVATE", "false", "allow webhook endpoints on loopback and private addresses (dev: true)", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.WebhookAllowPrivate = b
		return err
	}},
}

// The asset settings live in config_assets.go.
func init() { settings = append(settings, assetSettings...) }

func durationInto(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		*field(c) = d
		return err
	}
}

// Parse reads settings: flag, else environment variable, else default.
// Flags may stand before or after positional arguments. Every invalid
// setting is reported at once, as Problems, together with the parsed
// Config (a setting that failed to parse keeps its default), so a caller
// can add its own requirements to the list.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	vals := make([]*string, len(settings))
	for i, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		vals[i] = fs.String(s.flag, def, fmt.Sprintf("%s (env %s)", s.usage, s.env))
	}
	if err := parseInterspersed(fs, args); err != nil {
		return Config{}, err
	}
	var c Config
	var p Problems
	for i, s := range settings {
		if err := s.set(&c, *vals[i]); err != nil {
			p.check(true, "--%s / %s: invalid value %q: %v", s.flag, s.env, *vals[i], err)
			_ = s.set(&c, s.def) // so that validate judges the rest, not this again
		}
	}
	p.add(c.validate())
	return c, p.Err()
}

// ParseEnv reads settings from the environment only (for subcommands whose
// flags are their own).
func ParseEnv() (Config, error) {
	return Parse(flag.NewFlagSet("env", flag.ContinueOnError), nil, os.Getenv)
}

func (c Config) validate() error {
	var p Problems
	p.check(c.MaxBodyBytes < 1024, "max-body-bytes must be at least 1024, got %d", c.MaxBodyBytes)
	p.check(c.MaxComplexity < 10, "max-complexity must be at least 10, got %d", c.MaxComplexity)
	p.check(c.TokenTTL <= 0, "token-ttl must be positive, got %s", c.TokenTTL)
	p.check(c.EventsHeartbeat < 100*time.Millisecond, "events-heartbeat must be at least 100ms, got %s", c.EventsHeartbeat)
	p.check(c.EventsRetention < time.Hour, "events-retention must be at least 1h (clients resume and webhooks retry from the log), got %s", c.EventsRetention)
	p.check(c.WebhookMaxAttempts < 1 || c.WebhookMaxAttempts > 50, "webhook-max-attempts must be between 1 and 50, got %d", c.WebhookMaxAttempts)
	p.check(c.WebhookBackoff < 10*time.Millisecond, "webhook-backoff must be at least 10ms, got %s", c.WebhookBackoff)
	p.check(c.WebhookTimeout < 100*time.Millisecond, "webhook-timeout must be at least 100ms, got %s", c.WebhookTimeout)
	p.check(c.LogFormat != "text" && c.LogFormat != "json", "log-format must be text or json, got %q", c.LogFormat)
	_, err := c.Level()
	p.add(err)
	_, err = c.LocaleConfig()
	p.add(err)
	_, err = c.Registry()
	p.add(err)
	p.add(c.validateSecurity())
	p.add(c.validateFleet())
	p.add(c.validateAssets())
	p.add(c.validateMeasurement())
	p.add(c.validateRecommend())
	p.add(c.validateTelemetry())
	p.add(c.validateReplicas())
	p.add(c.validateDebug())
	return p.Err()
}

// tokenPattern is what a device or channel token may look like: it is
// compared verbatim with what clients send and variants target.
var tokenPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// Registry turns the devices and channels settings into the
// personalization registry: unknown values in requests and variants are
// refused against it.
func (c Config) Registry() (personalization.Registry, error) {
	var r personalization.Registry
	for _, s := range []struct {
		name string
		raw  string
		into *[]string
	}{{"devices", c.Devices, &r.Devices}, {"channels", c.Channels, &r.Channels}} {
		for _, t := range strings.Split(s.raw, ",") {
			if t = strings.TrimSpace(t); t == "" {
				continue
			}
			if !tokenPattern.MatchString(t) {
				return r, fmt.Errorf("%s: %q is not a token (lower-case letters, digits, _ or -, at most 32)", s.name, t)
			}
			if slices.Contains(*s.into, t) {
				return r, fmt.Errorf("%s: %q is listed twice", s.name, t)
			}
			*s.into = append(*s.into, t)
		}
		if len(*s.into) == 0 {
			return r, fmt.Errorf("%s: at least one is required", s.name)
		}
	}
	return r, nil
}

// Level is the slog level named by LogLevel.
func (c Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("log-level must be debug, info, warn or error, got %q", c.LogLevel)
	}
	return l, nil
}

// LocaleConfig turns the locale settings into the domain's configuration.
func (c Config) LocaleConfig() (content.Locales, error) {
	l := content.Locales{Default: c.DefaultLocale, Fallbacks: map[string]string{}}
	for _, s := range strings.Split(c.Locales, ",") {
		if s = strings.TrimSpace(s); s != "" {
			l.Supported = append(l.Supported, s)
		}
	}
	for _, pair := range strings.Split(c.LocaleFallbacks, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		from, to, ok := strings.Cut(pair, ":")
		if !ok {
			return l, fmt.Errorf("locale-fallbacks: %q is not from:to", pair)
		}
		l.Fallbacks[from] = to
	}
	return l, l.Validate()
}

// Logger builds the process logger.
func (c Config) Logger(w io.Writer) *slog.Logger {
	lvl, _ := c.Level()
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// EnvNames lists every setting's environment variable: deploy files are
// checked against it so that they cannot name a setting that does not
// exist (cmd/mosaic/deploy_test.go).
func EnvNames() []string {
	out := make([]string, len(settings))
	for i, s := range settings {
		out[i] = s.env
	}
	return out
}

// PrintSettings writes the table of settings for --help.
func PrintSettings(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAG\tENV\tDEFAULT\tMEANING")
	for _, s := range settings {
		fmt.Fprintf(tw, "--%s\t%s\t%s\t%s\n", s.flag, s.env, s.def, s.usage)
	}
	_ = tw.Flush()
}
