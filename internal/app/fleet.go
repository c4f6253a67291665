package app

import (
	"time"

	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// pruneInterval is how often screens quiet for longer than
// MOSAIC_SCREEN_FORGET_AFTER are looked for (sooner when that is shorter).
const pruneInterval = time.Hour

// openFleet builds the fleet view over the bundle builder: a heartbeat's
// context is checked as a bundle request's is, and a unit is ONLINE when it
// shows the bundle that builder would serve it now. It starts the pruner
// that forgets long-quiet units (every replica runs one: a delete is
// idempotent). Its gauge is registered with the HTTP surface's metrics.
func (a *App) openFleet(store *postgres.Store) error {
	svc, err := fleet.New(fleet.Config{Store: store.Fleet(), Source: fleet.BundleSource{Builder: a.Bundles},
		Interval: a.Config.ScreenHeartbeatInterval, OfflineAfter: a.Config.ScreenOfflineAfter, MaxScreens: a.Config.ScreenFleetMax,
		ForgetAfter: a.Config.ScreenForgetAfter, Logger: a.Log.With("component", "fleet")})
	if err != nil {
		return err
	}
	a.Fleet = svc
	interval := pruneInterval
	if f := a.Config.ScreenForgetAfter; f > 0 && f < interval {
		interval = f
	}
	a.closers = append(a.closers, svc.StartPruner(interval))
	return nil
}
