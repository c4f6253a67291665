#!/usr/bin/env bash
# The campaign switch on a running Mosaic (`mosaic dev`): schedules the demo
# campaign winter-sale LEAD seconds ahead, polls home (web) and lobby
# (kiosk) every 100 ms across the start, stops the campaign and polls again.
# It fails if any response sent after the start lacks the campaign's
# variant, if any response sent before the start shows it, or if any
# response after the stop still shows it.
#
# It can be played again: once winter-sale has been stopped (by this script
# or the tour) it runs a fresh copy, duplicateCampaign(winter-sale →
# winter-sale-<time>), which owns the same variants. Any error the server
# answers stops it with the server's message and code.
#
#   TOKEN=$(go run ./cmd/mosaic token --role publisher) scripts/campaign-demo.sh
#
# Needs curl and jq. URL defaults to http://127.0.0.1:8080, LEAD to 3,
# CAMPAIGN to winter-sale.
set -euo pipefail
shopt -s inherit_errexit
URL=${URL:-http://127.0.0.1:8080}
LEAD=${LEAD:-3}
CAMPAIGN=${CAMPAIGN:-winter-sale}
: "${TOKEN:?set TOKEN to a publisher token: go run ./cmd/mosaic token --role publisher}"

die() { echo "campaign-demo: $*" >&2; exit 1; }

gql() { # gql TOKEN QUERY VARIABLES-JSON: the response body, whatever it says
	curl -sS "$URL/graphql" -H 'Content-Type: application/json' ${1:+-H "Authorization: Bearer $1"} \
		-d "$(jq -cn --arg q "$2" --argjson v "${3:-{\}}" '{query: $q, variables: $v}')" ||
		die "cannot reach $URL/graphql (is mosaic dev running? set URL otherwise)"
}

call() { # call WHAT QUERY VARIABLES-JSON: .data, or stop with the server's error
	local body
	body=$(gql "$TOKEN" "$2" "${3:-{\}}")
	jq -e . >/dev/null 2>&1 <<<"$body" || die "$1: the server did not answer JSON: $body"
	if jq -e '(.errors // []) | length > 0' >/dev/null <<<"$body"; then
		die "$1 failed: $(jq -r '[.errors[] | "\(.message) (\(.extensions.code // "no code"))"] | join("; ")' <<<"$body")"
	fi
	jq -c .data <<<"$body"
}
now_ms() { date +%s%3N; }

got=$(call "reading campaign $CAMPAIGN" 'query($k: String!) { campaign(key: $k) { id key status } }' \
	"$(jq -cn --arg k "$CAMPAIGN" '{k: $k}')")
[[ $(jq -r '.campaign' <<<"$got") != null ]] ||
	die "no campaign $CAMPAIGN: is the demo seeded? (mosaic dev --reset-demo seeds it again)"
id=$(jq -r '.campaign.id' <<<"$got")
key=$CAMPAIGN
case $(jq -r '.campaign.status' <<<"$got") in
DRAFT) ;;
SCHEDULED | LIVE)
	die "$CAMPAIGN is $(jq -r '.campaign.status' <<<"$got") already: stop it first (stopCampaign) or wait for its end" ;;
*) # STOPPED or ENDED: its history stays; play a copy.
	key="$CAMPAIGN-$(date -u +%Y%m%d%H%M%S)"
	got=$(call "duplicating $CAMPAIGN as $key" 'mutation($k: String!, $n: String!) {
		duplicateCampaign(key: $k, newKey: $n) { id key status } }' "$(jq -cn --arg k "$CAMPAIGN" --arg n "$key" '{k: $k, n: $n}')")
	id=$(jq -r '.duplicateCampaign.id' <<<"$got")
	echo "$CAMPAIGN was played already: running its copy $key"
	;;
esac

start_ms=$(( $(now_ms) + LEAD * 1000 ))
start=$(date -u -d "@$((start_ms / 1000)).$(printf %03d $((start_ms % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ)
end=$(date -u -d "@$((start_ms / 1000 + 3600))" +%Y-%m-%dT%H:%M:%SZ)
call "scheduling $key" 'mutation($id: ID!, $s: DateTime!, $e: DateTime!) {
	scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { status startsAt } }' \
	"$(jq -cn --arg id "$id" --arg s "$start" --arg e "$end" '{id: $id, s: $s, e: $e}')"
echo "$key starts at $start"

poll='{ home: entry(slug: "home", type: "page", context: {channel: "web"}) { blocks { id decision { variant } } }
	lobby: entry(slug: "lobby", type: "screen", context: {channel: "kiosk"}) { blocks { id decision { variant } } } }'
bad=0
sample() { # sample PHASE(switch|stopped) SECONDS
	local until=$(( $(now_ms) + $2 * 1000 ))
	while (( $(now_ms) < until )); do
		local sent got done variants
		sent=$(now_ms)
		got=$(gql "" "$poll")
		done=$(now_ms)
		if ! variants=$(jq -er '[.data.home.blocks[0].decision.variant, .data.lobby.blocks[0].decision.variant] | join(" ")' <<<"$got" 2>/dev/null); then
			die "reading home and lobby failed: $(jq -r '[.errors[]? | "\(.message) (\(.extensions.code // "no code"))"] | join("; ")' <<<"$got" 2>/dev/null || echo "$got")"
		fi
		local want=""
		case "$1" in
		switch) if (( done < start_ms )); then want=none; elif (( sent >= start_ms )); then want=both; fi ;;
		stopped) want=none ;;
		esac
		local n=0
		for v in $variants; do [[ "$v" == "$key" ]] && n=$((n + 1)); done
		local verdict=ok
		if [[ "$want" == none && $n -ne 0 ]] || [[ "$want" == both && $n -ne 2 ]]; then verdict=STALE; bad=$((bad + 1)); fi
		printf '%s %+6d ms  home/web=%-22s lobby/kiosk=%-22s %s\n' "$1" $((sent - start_ms)) $variants "$verdict"
		sleep 0.1
	done
}
sample switch $((LEAD + 2))
call "stopping $key" 'mutation($id: ID!) { stopCampaign(id: $id) { status stoppedAt } }' "$(jq -cn --arg id "$id" '{id: $id}')"
sample stopped 1
if (( bad > 0 )); then
	die "$bad stale responses"
fi
echo "no stale response"
