#!/bin/sh
# The compiled read path's figures (bench/RESULTS.md, "The compiled read path"):
# list (hall and PS-LMC) and detail against a 100,000-appeal PostgreSQL database, one
# uvicorn worker, wrk at c=1 and c=16.  Usage: bench/compiled/run.sh [DATABASE] [SECONDS]
#   createdb -h 127.0.0.1 -U postgres bench_compile
#   PETITION_HUB_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench_compile \
#     .venv/bin/petition-hub db upgrade && ... petition-hub demo --appeals 100000
set -eu
here=$(dirname "$0"); root=$(cd "$here/../.." && pwd)
db=${1:-bench_compile}; seconds=${2:-10}; port=${PORT:-8765}
export PETITION_HUB_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:5432/$db"
export PETITION_HUB_SECRET_KEY=bench
hub="$root/.venv/bin/petition-hub"
"$hub" db upgrade >/dev/null
hall=$("$hub" token create --org PS-HALL | tail -1)
lmc=$("$hub" token create --org PS-LMC | tail -1)
tmp=$(mktemp -d)
"$hub" serve --port "$port" --workers 1 >"$tmp/server.log" 2>&1 &
server=$!
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
cat >"$tmp/list.json" <<'JSON'
{"query":"{ petitions(first: 50) { totalCount edges { node { id number title status receivedAt dueAt receivedBy { code name } assignments(first: 5) { role dueAt organisation { code name } } } } } }"}
JSON
id=$(psql -h 127.0.0.1 -U postgres -d "$db" -Atc "select max(id) from petitions")
printf '{"query":"{ petition(id: \\"%s\\") { id number title status receivedAt dueAt receivedBy { code name } events { kind occurredAt data } } }"}\n' "$id" >"$tmp/detail.json"
for work in "list hall $hall" "list lmc $lmc" "detail hall $hall"; do
  set -- $work
  for c in 1 16; do
    before=$(cpu_ticks)
    line=$(BODY_FILE="$tmp/$1.json" TOKEN=$3 wrk -t1 -c$c -d${seconds}s -s "$here/post.lua" \
      "http://127.0.0.1:$port/graphql" | grep RESULT)
    ticks=$(( $(cpu_ticks) - before ))
    requests=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
    # The server's own CPU per request (user + system), which load elsewhere barely moves.
    cpu=$(awk -v t="$ticks" -v r="$requests" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.2f", r ? t * 1000 / hz / r : 0 }')
    echo "$1 $2 c=$c ${line#RESULT } server-cpu=${cpu}ms/req"
  done
done
