#!/usr/bin/env bash
# README command (a): set up, build, and run the main job on the embedded store:
# generate a realistic month of marketplace events, ingest them (progress on a
# terminal), print a few order lists, close October and print a statement. Sizes: DEMO_SELLERS, DEMO_ORDERS.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/build.sh
ledger=./build/bin/ledger
dir=./demo-data
rm -rf "$dir" && mkdir -p "$dir"
sellers=${DEMO_SELLERS:-50}
orders=${DEMO_ORDERS:-200000}

echo "== generating one month (2026-10) of events: $sellers sellers, $orders orders"
time "$ledger" gen --seed 1 --sellers "$sellers" --orders "$orders" --start 2026-10-01 --months 1 \
  > "$dir/events.ndjson"
echo "$(wc -l < "$dir/events.ndjson") events, $(du -h "$dir/events.ndjson" | cut -f1)"

echo "== ingesting into $dir/store (durable: one fsynced batch per 4096 events)"
time "$ledger" --data "$dir/store" ingest "$dir/events.ndjson"

top=$(grep -o '"seller_id":"[^"]*"' "$dir/events.ndjson" | sort | uniq -c | sort -rn | head -1 |
      sed 's/.*"seller_id":"\([^"]*\)"/\1/')
echo "== the busiest seller, $top: newest orders"
"$ledger" --data "$dir/store" --format table orders --seller "$top" --limit 10
echo "== $top: paid renewals placed on 2026-10-15"
"$ledger" --data "$dir/store" --format table orders --seller "$top" --status paid --kind renew \
  --from 2026-10-15T00:00:00+08:00 --to 2026-10-16T00:00:00+08:00 --limit 10
order=$("$ledger" --data "$dir/store" --format json orders --seller "$top" --status paid --limit 1 |
        grep -o '"order_id":"[^"]*"' | head -1 | cut -d'"' -f4)
echo "== one order with its history: $order"
"$ledger" --data "$dir/store" --format table order "$order"
echo "== timers up to 2026-12-01, then the October close (settle exits 3 if a seller is refused)"
"$ledger" --data "$dir/store" --format table tick --now 2026-12-01T00:00:00+08:00
status=0
"$ledger" --data "$dir/store" --format json settle --period 2026-10 --now 2026-12-01T00:00:00+08:00 \
  > "$dir/settle.json" || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 3 ]
echo "$(head -c 400 "$dir/settle.json") ..."
echo "== $top: the closed October statement (first 5 lines)"
"$ledger" --data "$dir/store" --format table settlement --seller "$top" --period 2026-10 --limit 5
echo "== audit: hash chain and projection digest"
"$ledger" --data "$dir/store" --format table verify
echo "== store size: $(du -sh "$dir/store" | cut -f1)"
