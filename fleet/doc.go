// Package fleet keeps the fleet view of kiosks and IoT displays: each
// physical unit (screenId) reports a heartbeat naming the screen it shows,
// its context and the bundle frame on display; editors list the units and
// see which show what the server would serve now (ONLINE), something else
// (STALE) or have gone quiet (OFFLINE).
//
// It validates heartbeats, classifies state, forgets units taken out of
// service (on request, or once quiet for longer than ForgetAfter), counts
// them for the metrics gauge and defines the Store it records into. It knows no SQL, HTTP or GraphQL: storage/postgres stores
// the rows, server receives heartbeats, graph lists them.
package fleet
