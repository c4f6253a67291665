package app

import (
	"github.com/mosaichq/mosaic/fleet"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// openFleet builds the fleet view over the bundle builder: a heartbeat's
// context is checked as a bundle request's is, and a unit is ONLINE when it
// shows the bundle that builder would serve it now.
func (a *App) openFleet(store *postgres.Store) error {
	svc, err := fleet.New(fleet.Config{Store: store.Fleet(), Source: fleet.BundleSource{Builder: a.Bundles},
		Interval: a.Config.ScreenHeartbeatInterval, OfflineAfter: a.Config.ScreenOfflineAfter, MaxScreens: a.Config.ScreenFleetMax})
	if err != nil {
		return err
	}
	a.Fleet = svc
	return nil
}
