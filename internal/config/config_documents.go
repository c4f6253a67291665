package config

import "fmt"

// documentsSettings are the settings of trusted documents (issue 15).
var documentsSettings = []setting{
	{"trusted-documents", "MOSAIC_TRUSTED_DOCUMENTS", "allow",
		"allow: run registered documents by documentId and any query text; enforce: public callers (anonymous, API keys) may run only trusted documents (mosaic documents push), editors anything",
		func(c *Config, v string) error {
			if v != "allow" && v != "enforce" {
				return fmt.Errorf("want allow or enforce, got %q", v)
			}
			c.TrustedDocuments = v
			return nil
		}},
}

func init() { settings = append(settings, documentsSettings...) }
