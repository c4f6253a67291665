package studio

import (
	"embed"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/mosaichq/mosaic/internal/webfiles"
)

//go:embed dist
var dist embed.FS

// Prefix is where the studio is mounted.
const Prefix = "/studio/"

// files maps each embedded file to its URL path, built once per process.
var files = sync.OnceValue(func() map[string]*webfiles.File {
	m, err := webfiles.Load(dist, "dist", Prefix, nil)
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return m
})

// Handler serves the studio's files under Prefix, and index.html for the
// app's own routes. The files are read on the first request, not here:
// a replica that only delivers never holds them (~4 MB of heap).
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		all := files()
		index := all[Prefix+"index.html"]
		f := all[r.URL.Path]
		if f == nil && path.Ext(r.URL.Path) == "" && strings.HasPrefix(r.URL.Path, Prefix) {
			f = index // a route of the app, e.g. /studio/model/page
		}
		if r.URL.Path == Prefix {
			f = index
		}
		if f == nil {
			webfiles.NotFound(w, "no such studio file: "+r.URL.Path)
			return
		}
		f.Serve(w, r)
	})
}
