// Package periodic runs a background job on a fixed interval until it is
// stopped: the sweeps that keep storage and tables tidy (asset storage,
// the screen fleet) share its loop, its cancellation and its wait.
package periodic
