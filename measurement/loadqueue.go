package measurement

import "context"

// DrainBatches is the background loader shared by the caches delivery
// reads without a database round trip (ArmCache, measurement/profile,
// measurement/capcount): it waits for a visitor id on queue, takes up to
// max-1 more that are already waiting, and loads them together, until ctx
// ends. One query per batch keeps a burst of new visitors from becoming a
// burst of queries.
func DrainBatches(ctx context.Context, queue <-chan string, max int, load func(ctx context.Context, ids []string)) {
	for {
		var ids []string
		select {
		case <-ctx.Done():
			return
		case id := <-queue:
			ids = append(ids, id)
		}
	more:
		for len(ids) < max {
			select {
			case id := <-queue:
				ids = append(ids, id)
			default:
				break more
			}
		}
		load(ctx, ids)
	}
}
