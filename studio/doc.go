// Package studio serves the Mosaic studio, the editors' and marketers'
// single-page app, at /studio/ from files embedded in the binary. The app
// talks to /graphql on the same origin with the token its user gets from
// login (or pastes); it loads nothing from the network.
//
// The app is the npm project in web/ (React, TypeScript, Vite; GraphQL
// documents typed by codegen from graph/*.graphqls). Its build output,
// dist/, is committed and embedded, so building Mosaic needs no Node, as
// PocketBase embeds its admin UI. `make studio` rebuilds it;
// `make check-studio` (part of `make test`) runs the app's Vitest tests,
// rebuilds, and fails when dist/ differs from what is committed. File
// names carry no content hash, so a rebuild from the same lock file is
// byte-identical; the handler serves every file with a SHA-256 ETag and
// `Cache-Control: no-cache`, gzip-compressed when the client accepts it.
//
// The app routes with the browser's history API, so every path under
// /studio/ that names no file (/studio/content/page/…) is answered with
// index.html; a missing file with an extension is a 404, so a stale
// script reference fails loudly instead of parsing HTML as JavaScript.
package studio
