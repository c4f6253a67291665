// Package assets is Mosaic's asset domain: pictures, video and files kept
// in blob storage, described in the database, delivered by URL, and resized
// into renditions that fit each device.
//
// It knows no SQL and no HTTP: metadata goes through the Store interface
// (storage/postgres implements it) and bytes through blob.Store (the local
// filesystem or S3). Resolvers and the /assets/ handler call Service.
//
// # Uploads
//
// An upload is spooled to a temporary file while its SHA-256 is computed
// and its size bounded (Config.MaxUploadBytes). Its content is sniffed and
// must agree with the declared type and the file name's extension;
// executables, HTML and SVG with scripts, event handlers or foreign
// objects are refused, as are truncated images. Bytes are content
// addressed — originals/<sha256> — so identical files are stored once,
// however many assets point at them.
//
// Nothing is orphaned: the blob is written before the row, so a failed
// storage write leaves no row; a failed row write deletes the blob it had
// just written unless another asset uses it. Both the deletion and row
// inserts take a per-blob advisory lock in the database, and Sweep (run
// periodically) removes whatever a crash still left behind: unreferenced
// originals older than a grace period and expired direct uploads.
//
// Direct uploads skip the API for the bytes: CreateUpload presigns a PUT to
// a staging key, the client uploads there, and FinalizeUpload checks the
// staged object exactly like a multipart upload before it becomes an asset.
//
// # Delivery and renditions
//
// An asset is served at /assets/{id}/{filename}; a query string asks for a
// rendition (w, h, fit, fmt). Renditions are made with
// disintegration/imaging, encoded as WebP, JPEG or PNG, stored once under
// renditions/<sha256>/... and served from storage afterwards. Work is
// bounded: at most MaxDimension pixels a side, never larger than the
// original, a few renders at a time (Config.RenderConcurrency) with a short
// queue, and anonymous callers only get the device presets (watch 320,
// mobile 640, tablet 1280, desktop 1920, tv and kiosk 3840); any other size
// needs a URL signed for an authenticated caller.
package assets
