#!/usr/bin/env bash
# The campaign switch on a running Mosaic (`mosaic dev`): schedules the demo
# campaign winter-sale LEAD seconds ahead, polls home (web) and lobby
# (kiosk) every 100 ms across the start, stops the campaign and polls again.
# It fails if any response sent after the start lacks the campaign's
# variant, if any response sent before the start shows it, or if any
# response after the stop still shows it.
#
#   TOKEN=$(go run ./cmd/mosaic token --role publisher) scripts/campaign-demo.sh
#
# Needs curl and jq. URL defaults to http://127.0.0.1:8080, LEAD to 3.
set -euo pipefail
URL=${URL:-http://127.0.0.1:8080}
LEAD=${LEAD:-3}
: "${TOKEN:?set TOKEN to a publisher token: go run ./cmd/mosaic token --role publisher}"

gql() { # gql TOKEN QUERY VARIABLES-JSON
	curl -sS "$URL/graphql" -H 'Content-Type: application/json' ${1:+-H "Authorization: Bearer $1"} \
		-d "$(jq -cn --arg q "$2" --argjson v "${3:-{\}}" '{query: $q, variables: $v}')"
}
now_ms() { date +%s%3N; }

id=$(gql "$TOKEN" '{ campaign(key: "winter-sale") { id } }' | jq -r '.data.campaign.id // empty')
[[ -n "$id" ]] || { echo "no campaign winter-sale: is the demo seeded?" >&2; exit 1; }
start_ms=$(( $(now_ms) + LEAD * 1000 ))
start=$(date -u -d "@$((start_ms / 1000)).$(printf %03d $((start_ms % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ)
gql "$TOKEN" 'mutation($id: ID!, $s: DateTime!, $e: DateTime!) {
	scheduleCampaign(id: $id, startsAt: $s, endsAt: $e) { status startsAt } }' \
	"$(jq -cn --arg id "$id" --arg s "$start" '{id: $id, s: $s, e: "2099-01-01T00:00:00Z"}')" | jq -c .data
echo "winter-sale starts at $start"

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
		variants=$(jq -r '[.data.home.blocks[0].decision.variant, .data.lobby.blocks[0].decision.variant] | join(" ")' <<<"$got")
		local want=""
		case "$1" in
		switch) if (( done < start_ms )); then want=none; elif (( sent >= start_ms )); then want=both; fi ;;
		stopped) want=none ;;
		esac
		local n=0
		for v in $variants; do [[ "$v" == winter-sale ]] && n=$((n + 1)); done
		local verdict=ok
		if [[ "$want" == none && $n -ne 0 ]] || [[ "$want" == both && $n -ne 2 ]]; then verdict=STALE; bad=$((bad + 1)); fi
		printf '%s %+6d ms  home/web=%-12s lobby/kiosk=%-12s %s\n' "$1" $((sent - start_ms)) $variants "$verdict"
		sleep 0.1
	done
}
sample switch $((LEAD + 2))
gql "$TOKEN" 'mutation($id: ID!) { stopCampaign(id: $id) { status stoppedAt } }' "$(jq -cn --arg id "$id" '{id: $id}')" | jq -c .data
sample stopped 1
if (( bad > 0 )); then
	echo "$bad stale responses" >&2
	exit 1
fi
echo "no stale response"
