// Package webfiles serves the files of a web app built ahead and embedded
// in the binary (the studio, GraphiQL). Their names are fixed and their
// content changes only with the binary, so every answer says
// Cache-Control: no-cache and carries a strong ETag: a browser revalidates
// each time and gets a 304 until the binary changes. Text files are
// gzipped once, on first use, when that saves at least a tenth. A missing
// file is a 404 in the GraphQL error shape every Mosaic endpoint answers
// errors in (extensions.code NOT_FOUND).
package webfiles
