#!/usr/bin/env bash
# Keeps dependencies pointing inward (DESIGN.md, "Dependencies point down"):
# the domain packages know no adapter, no GraphQL and no SQL. Checked on
# transitive imports, so an indirection through another package is caught.
# A forbidden entry matches the package and those below it; one ending in
# "=" matches only itself (database/sql/driver is fine: uuid implements it).
set -euo pipefail
cd "$(dirname "$0")/.."
module=$(go list -m)

# assets may use storage/blob: the interface-only package its backends
# (fsblob, s3blob) implement.
domain=(content personalization experience campaign events scheduler webhook assets bundle fleet delivery measurement stats)
allowed=("$module/storage/blob")
forbidden=(
	"$module/graph" "$module/storage" "$module/server" "$module/search"
	"$module/cmd" "$module/internal/app" "$module/migrations" "$module/internal/tracing="
	github.com/99designs/gqlgen github.com/vektah/gqlparser
	github.com/jackc/pgx "database/sql="
	github.com/minio/minio-go github.com/blevesearch
)

status=0

# stats is pure statistics: it imports no package of this module at all, so
# the reports, tests and any future tool can use it without the rest.
for d in stats; do
	[[ -d "$d" ]] || continue
	while read -r pkg deps; do
		for dep in $deps; do
			if [[ "$dep" == "$module" || "$dep" == "$module"/* ]]; then
				echo "check-imports: $pkg depends on $dep: stats must import nothing of ours" >&2
				status=1
			fi
		done
	done < <(go list -f '{{.ImportPath}} {{join .Deps " "}}' "./$d/...")
done

for d in "${domain[@]}"; do
	[[ -d "$d" ]] || continue
	while read -r pkg deps; do
		for dep in $deps; do
			for a in "${allowed[@]}"; do [[ "$dep" == "$a" ]] && continue 2; done
		for f in "${forbidden[@]}"; do
				if [[ "$f" == *= && "$dep" == "${f%=}" ]] || [[ "$f" != *= && ("$dep" == "$f" || "$dep" == "$f"/*) ]]; then
					echo "check-imports: $pkg depends on $dep: the domain must not know adapters, GraphQL or SQL" >&2
					status=1
				fi
			done
		done
	done < <(go list -f '{{.ImportPath}} {{join .Deps " "}}' "./$d/...")
done
exit $status
