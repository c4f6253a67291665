package app

import (
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// servePprof serves Go's profiles on their own loopback listener when
// MOSAIC_PPROF_ADDR is set (config validates it is loopback), so that a
// running server can be profiled under load (`go tool pprof
// http://127.0.0.1:6060/debug/pprof/profile?seconds=10`). They are never
// on the API's address: a profile shows memory and stacks.
// It returns the address it listens on ("" when off) and stop, which
// closes it.
func (a *App) servePprof() (addr string, stop func(), err error) {
	if a.Config.PprofAddr == "" {
		return "", func() {}, nil
	}
	ln, err := net.Listen("tcp", a.Config.PprofAddr)
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Log.Warn("pprof listener", "err", err)
		}
	}()
	a.Log.Info("profiles on loopback", "addr", ln.Addr().String())
	return ln.Addr().String(), func() {
		_ = srv.Close()
		<-done
	}, nil
}
