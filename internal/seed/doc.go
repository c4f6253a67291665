// Package seed loads Mosaic's demo content: a storefront model, a `home`
// page with modular blocks (one of them a reusable global promo), a kiosk
// `lobby` screen and products, in English and Romanian — and the
// personalization demo: segments vip (explicit), returning and big-spender
// (rules), the cta-test experiment, and variants on the hero (vip, mobile,
// kiosk), intro, bestsellers, cta (one per arm), the lobby hero (kiosk) and
// the global promo (kiosk). It goes through the content service like an
// editor would, so the demo is also a smoke test of the write path.
//
// The demo pictures are drawn at seed time (deterministic winter scenes, no
// download, no licence) and uploaded through the asset service, tagged
// `demo`; the content names them both as asset fields and as
// `/demo/{name}` paths, which FindPicture resolves for the HTTP server.
//
// The demo is seeded once: with WithState, Run does nothing at all once the
// database says the demo was seeded, so the model and content are the
// editors' from then on and no restart reverts them; the model the seed
// imports is audited (WithAudit). Reset deletes all content — never users,
// API keys, assets or secrets — and seeds it again, so the tour can be
// played more than once.
package seed
