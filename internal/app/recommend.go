package app

import (
	"context"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/recommend"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// openRecommend starts the recommendations' engine (issue 19): rebuilt
// from PostgreSQL in the background, then fed by the log's consumers
// through the stores it returns, which the log must write to. Live
// batches that come while it is rebuilt wait for it.
func (a *App) openRecommend(ctx context.Context, store *postgres.MeasurementStore) (measurement.Store, measurement.DecisionStore) {
	eng := recommend.New(recommend.Config{Units: store.IdentityUnits(), Log: a.Log.With("component", "recommend")})
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	wait := eng.RebuildAsync(rctx, store)
	log := a.Log.With("component", "recommend")
	go func() {
		if err := wait(); err != nil && rctx.Err() == nil {
			log.ErrorContext(rctx, "rebuilding recommendations from PostgreSQL: they start from what comes next", "error", err)
		}
	}()
	a.closers = append(a.closers, func() { cancel(); _ = wait() })
	a.Measure.Recommend = eng
	return recommend.Events{Store: store, Engine: eng}, recommend.Decisions{DecisionStore: store, Engine: eng}
}
