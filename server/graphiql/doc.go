// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, at /graphiql
// from files embedded in the binary. Nothing is loaded from the internet, so
// the IDE works offline and behind a firewall; if one of its files fails to
// load anyway, the page says which instead of "Loading…" forever. The
// API's schema is served beside it as SDL (/graphiql/schema.graphql) when
// introspection is on.
//
// The page is the npm project in web/ (graphiql 5, React, Vite). Its build
// output, dist/, is committed and embedded, so building Mosaic needs no
// Node. `make graphiql` rebuilds it; `make check-graphiql` (part of
// `make test`) rebuilds and fails when dist/ differs from what is committed.
// File names carry no content hash, so a rebuild from the same lock file is
// byte-identical; the handler serves every file with a SHA-256 ETag and
// `Cache-Control: no-cache`, gzip-compressed when the client accepts it, and
// with a Content-Security-Policy that lets the page reach its own origin
// only.
package graphiql
