// Package studio serves the campaign studio page: static HTML, CSS and
// JavaScript embedded in the binary, mounted at /studio/. The page talks to
// /graphql on the same origin with the token its user pastes or gets from
// login; it loads nothing from the network.
package studio
