package replicas_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/mosaichq/mosaic/internal/replicas"
)

func TestMain(m *testing.M) {
	code := m.Run()
	replicas.Cleanup()
	if code == 0 {
		if err := goleak.Find(
			goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
			goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		); err != nil {
			os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}
