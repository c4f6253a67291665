package config

import (
	"net"
)

// debugSettings are for profiling a running process: off unless set.
var debugSettings = []setting{
	{"pprof-addr", "MOSAIC_PPROF_ADDR", "", "loopback address for Go's /debug/pprof profiles, e.g. 127.0.0.1:6060 (empty: off; never served on the API's address)", func(c *Config, v string) error { c.PprofAddr = v; return nil }},
}

func init() { settings = append(settings, debugSettings...) }

// validateDebug keeps profiles off the network: they show memory and
// stacks, so only a loopback address is accepted.
func (c Config) validateDebug() error {
	var p Problems
	if c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		ip := net.ParseIP(host)
		p.check(err != nil || ip == nil || !ip.IsLoopback(),
			"pprof-addr must be a loopback address such as 127.0.0.1:6060, got %q", c.PprofAddr)
	}
	return p.Err()
}
