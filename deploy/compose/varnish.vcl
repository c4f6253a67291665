vcl 4.1;

# Mosaic behind Varnish Cache (with the xkey module of varnish-modules).
#
# Mosaic says how long each answer stays true: Cache-Control s-maxage is
# capped at the next campaign transition, so no copy outlives a start or an
# end. Every answer names what it shows in Surrogate-Key, and every event
# in Mosaic's log lists the keys it makes stale ("purge" in the webhook
# body): a webhook endpoint turns them into PURGE requests with an
# xkey-purge header. While no replica is healthy the last good answer is
# served (stale-if-error); while one is, an expired answer is never served.

import std;
import xkey;
import directors;


backend replica1 {
	.host = "mosaic-1";
	.port = "8080";
	.connect_timeout = 1s;
	.probe = {
		.url = "/healthz";
		.interval = 250ms;
		.timeout = 1s;
		.window = 3;
		.threshold = 2;
		.initial = 2;
	}
}

backend replica2 {
	.host = "mosaic-2";
	.port = "8080";
	.connect_timeout = 1s;
	.probe = {
		.url = "/healthz";
		.interval = 250ms;
		.timeout = 1s;
		.window = 3;
		.threshold = 2;
		.initial = 2;
	}
}


acl purgers {
	"127.0.0.1";
	"::1";
}

sub vcl_init {
	new replicas = directors.round_robin();
	replicas.add_backend(replica1);
	replicas.add_backend(replica2);
}

sub vcl_recv {
	set req.backend_hint = replicas.backend();
	if (req.method == "PURGE") {
		if (client.ip !~ purgers) {
			return (synth(403, "Forbidden"));
		}
		if (!req.http.xkey-purge) {
			return (synth(400, "an xkey-purge header naming the keys is required"));
		}
		set req.http.n-gone = xkey.purge(req.http.xkey-purge);
		return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
	}
	if (req.method != "GET" && req.method != "HEAD") {
		return (pass);
	}
	if (req.http.Authorization) {
		# Editors' answers are private.
		return (pass);
	}
	if (req.restarts == 0 && std.healthy(req.backend_hint)) {
		# An expired answer may be stale past a transition: ask a replica.
		set req.grace = 0s;
	}
	# On a restart (the replicas failed, see vcl_synth) or while none is
	# healthy, the last good answer will do: stale-if-error.
	return (hash);
}

sub vcl_backend_response {
	if (beresp.http.Surrogate-Key) {
		set beresp.http.xkey = beresp.http.Surrogate-Key;
	}
	if (beresp.ttl <= 0s || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)") {
		# Not to be shared, or true for under a second (a transition is
		# due). Not the built-in two-minute hit-for-miss marker: it would
		# hide the last good answer from stale-if-error.
		set beresp.uncacheable = true;
		set beresp.ttl = 0s;
		return (deliver);
	}
	# Kept past its lifetime only for stale-if-error (see vcl_recv).
	set beresp.grace = 24h;
	return (deliver);
}

sub vcl_backend_error {
	# Keep whatever stale answer the cache holds: an error object would
	# replace it. The client side then answers 503 (vcl_synth).
	return (abandon);
}

sub vcl_synth {
	if (resp.status == 503 && req.restarts == 0 && (req.method == "GET" || req.method == "HEAD")) {
		# The fetch failed before the probes noticed: look again, taking
		# a stale answer this time.
		return (restart);
	}
}

sub vcl_deliver {
	# The keys are for purging here: they name entries and campaigns,
	# scheduled ones too, which a visitor has no business reading.
	unset resp.http.xkey;
	unset resp.http.Surrogate-Key;
	unset resp.http.Cache-Tag;
	if (obj.hits > 0) {
		set resp.http.X-Cache = "HIT";
	} else {
		set resp.http.X-Cache = "MISS";
	}
}
