// Package seed loads Mosaic's demo content: a storefront model, a `home`
// page with modular blocks (one of them a reusable global promo), a kiosk
// `lobby` screen and products, in English and Romanian — and the
// personalization demo: segments vip (explicit), returning and big-spender
// (rules), the cta-test experiment, and variants on the hero (vip, mobile,
// kiosk), intro, bestsellers, cta (one per arm), the lobby hero (kiosk) and
// the global promo (kiosk). It goes through the
// content service like an editor would, so the demo is also a smoke test of
// the write path. Seeding is idempotent: it does nothing once `home` exists.
package seed
