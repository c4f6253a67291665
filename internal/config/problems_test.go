package config

import (
	"errors"
	"flag"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseReportsEveryProblem: one run names every invalid setting, a
// value that fails to parse is not reported twice, and the parsed Config
// still comes back so a command can add its own requirements.
func TestParseReportsEveryProblem(t *testing.T) {
	t.Parallel()
	env := map[string]string{"MOSAIC_LOG_FORMAT": "xml", "MOSAIC_SCREEN_FLEET_MAX": "0"}
	c, err := Parse(flag.NewFlagSet("test", flag.ContinueOnError),
		[]string{"--max-body-bytes", "abc", "--max-depth", "1", "--blob-backend", "s3", "--addr", "127.0.0.1:9"},
		func(k string) string { return env[k] })
	var p Problems
	require.True(t, errors.As(err, &p), "%v", err)
	require.Len(t, p, 5, err.Error())
	for _, want := range []string{
		`--max-body-bytes / MOSAIC_MAX_BODY_BYTES: invalid value "abc"`,
		"max-depth must be between 2 and 100, got 1",
		`log-format must be text or json, got "xml"`,
		"screen-fleet-max must be between 1 and 1000000, got 0",
		"blob-backend s3 needs S3_ENDPOINT",
	} {
		require.ErrorContains(t, err, want)
	}
	require.Contains(t, err.Error(), "5 settings need attention:\n  - ")
	require.NotContains(t, err.Error(), "max-body-bytes must be at least", "an unparsable value keeps its default")
	require.Equal(t, "127.0.0.1:9", c.Addr, "the rest is parsed")

	_, err = Parse(flag.NewFlagSet("test", flag.ContinueOnError), []string{"--max-depth", "1"}, func(string) string { return "" })
	require.EqualError(t, err, "max-depth must be between 2 and 100, got 1", "a single problem reads as one line")
}

// TestFlagsAfterPositionalArguments: `mosaic model import FILE --dry-run`
// works as `mosaic model import --dry-run FILE`; "--" still ends flags.
func TestFlagsAfterPositionalArguments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		dryRun     bool
		addr       string
		positional []string
	}{
		{[]string{"model.json", "--dry-run"}, true, "127.0.0.1:8080", []string{"model.json"}},
		{[]string{"--dry-run", "model.json"}, true, "127.0.0.1:8080", []string{"model.json"}},
		{[]string{"a", "--addr", ":1", "b", "--dry-run", "c"}, true, ":1", []string{"a", "b", "c"}},
		{[]string{"a", "--", "--dry-run"}, false, "127.0.0.1:8080", []string{"a", "--dry-run"}},
		{nil, false, "127.0.0.1:8080", nil},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		dryRun := fs.Bool("dry-run", false, "")
		c, err := Parse(fs, tc.args, func(string) string { return "" })
		require.NoError(t, err, tc.args)
		require.Equal(t, tc.dryRun, *dryRun, tc.args)
		require.Equal(t, tc.addr, c.Addr, tc.args)
		if tc.positional == nil {
			require.Empty(t, fs.Args(), tc.args)
		} else {
			require.Equal(t, tc.positional, fs.Args(), tc.args)
		}
	}
}
