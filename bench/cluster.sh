#!/usr/bin/env bash
# Cluster benchmark (issue 15), run by `make bench` after bench/ingest.sh. Out of process: the jar against the
# PostgreSQL on $PGHOST:$PGPORT (fresh database cs_cluster) and the RabbitMQ on 127.0.0.1:5672, the channel stub
# of bench/ChannelBench.java, wrk with pre-signed Airbnb webhooks (../shared/bench/gen_requests.py) on 500 mapped
# listings (each event upserts a booking and creates a Booking.com sync job the stub answers).
#  1. modes: SEDA on 1 instance, RabbitMQ (profile cluster) on 1 and on 2 instances: intake req/s for
#     BENCH_SECONDS (wrk, 64 connections in all, split over the instances), then processing: events applied per
#     second from the first 202 until every stored row is processed (the drain after the load included);
#  2. history: /actuator/prometheus scrape time (median of 40, after 20 to warm up) and intake req/s (unmapped listings) on an empty database
#     and on one seeded with BENCH_HISTORY_ROWS (10,000,000) finished webhook_log rows, three rounds each, medians.
# Prints core count and load; every figure is from this run. Environment: BENCH_SECONDS (20), BENCH_HISTORY_ROWS,
# BENCH_CLUSTER_PHASES (modes history), CS_JAR (another build's jar), PGHOST, PGPORT, PGUSER; BENCH_KEEP_DB=1 keeps the databases (cs_cluster, cs_history_*) at the end.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SHARED=${SHARED_BENCH:-$( [ -d "$REPO/../shared/bench" ] && echo "$REPO/../shared/bench" || echo "$REPO/../../shared/bench")}
D=${BENCH_SECONDS:-20}; HISTORY=${BENCH_HISTORY_ROWS:-10000000}
PHASES=${BENCH_CLUSTER_PHASES:-modes history}
OUT=$REPO/target/bench-cluster; mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGOPTIONS="--client-min-messages=warning"
SECRET=bench-airbnb-secret; OPERATOR_KEY=bench-operator-key; DB=cs_cluster
ENCRYPTION_KEY=YmVuY2gtb25seS1jcmVkZW50aWFscy1rZXktMzItYnk=
command -v wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
(exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null || { echo "no RabbitMQ on 127.0.0.1:5672 (rabbitmq-server -detached)" >&2; exit 1; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
STUB_PORT=$(free_port); STUB=http://127.0.0.1:$STUB_PORT
CS_JAR=${CS_JAR:-$REPO/target/channel-sync.jar}
[ "$CS_JAR" != "$REPO/target/channel-sync.jar" ] || make -s build
PIDS=()
cleanup() { # the services and stub, then the database (10 million rows of history are gigabytes; BENCH_KEEP_DB=1 keeps it)
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -n "${BENCH_KEEP_DB:-}" ] || for db in cs_cluster cs_history_0 "cs_history_$HISTORY" cs_history_seed; do psql -q -d postgres -c "drop database if exists $db" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
java bench/ChannelBench.java stub "$STUB_PORT" >"$OUT/stub.log" 2>&1 & PIDS+=($!)

start() { # start PROFILE PORT TAG -> pid in $STARTED
  SERVER_PORT=$2 SPRING_PROFILES_ACTIVE=$1 CHANNEL_SYNC_QUEUES_PREFIX=cs-bench \
  SPRING_DATASOURCE_URL=jdbc:postgresql://$PGHOST:$PGPORT/$DB SPRING_DATASOURCE_USERNAME=$PGUSER \
  CHANNEL_SYNC_WEBHOOKS_AIRBNB_SECRETS=$SECRET CHANNEL_SYNC_SECURITY_OPERATOR_KEYS=$OPERATOR_KEY \
  CHANNEL_SYNC_CHANNELS_AIRBNB_BASE_URL=$STUB/airbnb CHANNEL_SYNC_CHANNELS_BOOKING_COM_BASE_URL=$STUB/booking_com \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_ID=bench CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_SECRET=bench \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_TOKEN_URL=$STUB/booking_com/token-based-authentication/exchange \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_RESERVATIONS_BASE_URL=$STUB/booking_com CHANNEL_SYNC_CHANNELS_BOOKING_COM_POLL_AUTO_STARTUP=false \
  CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY=$ENCRYPTION_KEY CHANNEL_SYNC_RECONCILIATION_AUTO_STARTUP=false \
  CHANNEL_SYNC_DB_POOL_SIZE=10 CHANNEL_SYNC_WEBHOOKS_DB_POOL_SIZE=4 \
  java -Xmx768m -jar "$CS_JAR" >"$OUT/$3.log" 2>&1 & STARTED=$!; PIDS+=($STARTED)
  for _ in $(seq 1 900); do
    curl -sf "http://127.0.0.1:$2/actuator/health" >/dev/null 2>&1 && return 0
    kill -0 "$STARTED" 2>/dev/null || { tail -40 "$OUT/$3.log"; echo "$3 did not start" >&2; exit 1; }
    sleep 1
  done
  echo "$3 not healthy after 900 s" >&2; exit 1
}
stop() { for p in "$@"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
fresh_db() { psql -q -d postgres -c "drop database if exists $DB" -c "create database $DB" >/dev/null; }
q() { psql -tA -d $DB -c "$1"; }
wrk_on() { # wrk_on TAG CONNECTIONS URL... : one wrk per URL in parallel, prints the summed req/s
  local tag=$1 c=$2; shift 2; local i=0 pids=()
  for url in "$@"; do
    i=$((i + 1))
    python3 "$SHARED/gen_requests.py" 200000 "$SECRET" "$OUT/$tag-$i.lua" "$tag$i$RANDOM" >/dev/null
    wrk -t1 -c"$c" -d"${D}s" -s "$OUT/$tag-$i.lua" "$url/api/v1/webhooks/airbnb" >"$OUT/wrk-$tag-$i.out" 2>&1 & pids+=($!)
  done
  wait "${pids[@]}"
  cat "$OUT"/wrk-"$tag"-*.out | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}'
}
drain() { # seconds until no row waits (received/queued), at most 300
  local t0; t0=$(date +%s.%N)
  for _ in $(seq 1 3000); do
    [ "$(q "select count(*) from webhook_log where status in ('received', 'queued')")" = 0 ] && break
    sleep 0.1
  done
  python3 -c "import time; print(round(time.time() - $t0, 1))"
}
echo "cluster bench: $(nproc) cores; $(uptime | sed 's/.*load/load/'); D=${D}s"

mode() { # mode PROFILE INSTANCES
  local profile=$1 n=$2 urls=() pids=() port
  fresh_db
  for i in $(seq 1 "$n"); do port=$(free_port); start "$profile" "$port" "$profile-$n-$i"; urls+=("http://127.0.0.1:$port"); pids+=($STARTED); done
  java bench/ChannelBench.java map "${urls[0]}" "$OPERATOR_KEY" 500 >/dev/null
  wrk_on "warm-$profile-$n" $((64 / n)) "${urls[@]}" >/dev/null; drain >/dev/null
  local before t0 rps wait after secs
  before=$(q "select count(*) from webhook_log where status = 'processed'"); t0=$(date +%s.%N)
  rps=$(wrk_on "$profile-$n" $((64 / n)) "${urls[@]}")
  wait=$(drain)
  after=$(q "select count(*) from webhook_log where status = 'processed'")
  secs=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
  echo "[modes] $profile x$n: intake $rps req/s; processed $((after - before)) events in ${secs}s = $(python3 -c "print(round(($after - $before) / $secs))") events/s (drain after the load ${wait}s); failed rows $(q "select count(*) from webhook_log where status = 'failed'")"
  stop "${pids[@]}"
}

scrape_pair() { # scrape_pair URL_A URL_B -> "ms_a ms_b": median of 200 scrapes of each, taken in turns (A, B, A, ...)
  # while both services are up and idle, so a machine that drifts weighs on both alike (scraped one after the other,
  # the same build differed by 20% between rounds); after 250 unmeasured scrapes each: a fresh service's scrape path
  # is still being compiled for its first ~250 scrapes (the median of each 50 fell from 14 to 7 ms, on either database)
  local a=$1 b=$2
  for _ in $(seq 1 250); do for url in "$a" "$b"; do curl -s -o /dev/null -H "Authorization: Bearer $OPERATOR_KEY" "$url/actuator/prometheus"; done; done
  for _ in $(seq 1 200); do
    for url in "$a" "$b"; do echo "$url $(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $OPERATOR_KEY" "$url/actuator/prometheus")"; done
  done | python3 -c "
import statistics, sys
t = {}
for line in sys.stdin:
    url, s = line.split(); t.setdefault(url, []).append(float(s) * 1000)
print(' '.join(f'{statistics.median(t[u]):.1f}' for u in ('$a', '$b')))"
}

# history: empty vs HISTORY finished rows, three rounds, the order alternating (empty first, then 10 M first, then
# empty first) so a machine that drifts during the run weighs on both sides; medians of the three are the figure
# (single runs swung +-15-30% here). Each run is a fresh service on a fresh database: the empty one made anew, the
# seeded one copied from a database seeded once (cs_history_seed), so no round inherits the parked rows and dead
# versions of the one before (reusing it made its later rounds slower: their index reads grew). Nothing but the
# history differs (one database measured before and after seeding compared a quiet service with one still working
# off the first run).
# The listings stay unmapped: each delivery is stored and parked (one alert per listing), so the run measures intake,
# not the bench's own double bookings (the shared generator books every event on the same nights).
history_db() { # history_db NAME ROWS: database NAME afresh, its schema (Liquibase, by the service), ROWS finished rows
  DB=$1; fresh_db
  local port0; port0=$(free_port); start default "$port0" "history-schema-$1"; stop "$STARTED"
  [ "$2" -gt 0 ] || return 0
  local t0; t0=$(date +%s)
  q "insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload, signature_valid, status, processed_at, created_at)
     select 'airbnb', 'hist-' || g, 'reservation_acceptance_confirmation', now() - interval '1 day', '{}', null,
            '{\"action\":\"reservation_acceptance_confirmation\"}', true, case when g % 50 = 0 then 'duplicate' else 'processed' end,
            now() - interval '1 day', now() - interval '1 day'
     from generate_series(1, $2) g" >/dev/null
  q "vacuum analyze webhook_log" >/dev/null
  q "checkpoint" >/dev/null # the seeding's dirty pages written out now, not during the measured run
  echo "[history] seeded $2 finished rows in $(( $(date +%s) - t0 ))s" >&2
}
copy_db() { # copy_db FROM TO: TO afresh as a copy of FROM (file copy, PostgreSQL 15+: not the whole database through WAL)
  local strategy=""; [ "$(psql -tA -d postgres -c "show server_version_num")" -lt 150000 ] || strategy="strategy file_copy"
  psql -q -d postgres -c "drop database if exists $2" -c "create database $2 template $1 $strategy" >/dev/null
}
# The reference measured on the same database in the same round: the intake's own statement (a group of 10 rows,
# as WebhookLog.insert writes them) from pgbench, 16 clients, with no service running. It tells whether the database
# side of the intake pays for the history; the service's req/s swing +-20% between runs of the same build.
cat >"$OUT/intake-insert.sql" <<'SQL'
\set r random(1, 2000000000)
insert into webhook_log (platform, event_id, event_type, event_time, headers, raw_body, payload, signature_valid, status, owner)
select 'airbnb', 'pgbench-' || :client_id || '-' || :r || '-' || g, 'reservation_acceptance_confirmation', now(), '{}',
       '{"action":"reservation_acceptance_confirmation","reservation":{"confirmation_code":"HM12345678"}}',
       '{"action":"reservation_acceptance_confirmation"}', true, 'queued', null
from generate_series(1, 10) g
on conflict (platform, event_id) where status not in ('rejected', 'duplicate') do nothing
returning id;
SQL
pgbench_rows() { # rows/s of the intake's insert on $DB
  pgbench -n -c 16 -j 2 -T "$D" -f "$OUT/intake-insert.sql" "$DB" 2>&1 | awk '/^tps/ {printf "%.0f", $3 * 10}'
}
history_up() { # history_up ROWS: a fresh service on the database history_db ROWS made, warmed by a wrk run and its drain
  DB=cs_history_$1
  local port; port=$(free_port); start default "$port" "history-$1"; PID[$1]=$STARTED; URL[$1]=http://127.0.0.1:$port
  wrk_on "warm-history-$1" 64 "${URL[$1]}" >/dev/null; drain >/dev/null
}
history_intake() { # history_intake ROWS -> req/s of the measured wrk run on that service (the other one idle)
  DB=cs_history_$1
  # where the database's work goes: WAL (full-page images after a checkpoint are the cost of touching many pages) and
  # index blocks read from outside shared_buffers, per index of webhook_log (the count(*) below reads one whole index
  # at 10 M rows: the bench's own reads, outside the wrk run)
  q "select pg_stat_reset()" >/dev/null; local w0 n0; w0=$(q "select wal_records || ' ' || wal_fpi || ' ' || wal_bytes from pg_stat_wal"); n0=$(q "select count(*) from webhook_log")
  local i; i=$(wrk_on "history-$1" 64 "${URL[$1]}")
  local w1 stored; w1=$(q "select wal_records || ' ' || wal_fpi || ' ' || wal_bytes from pg_stat_wal"); stored=$(( $(q "select count(*) from webhook_log") - n0 ))
  echo "[history] $1 seeded: during the measured run, per row stored: $(python3 -c "a='$w0'.split(); b='$w1'.split(); n=max(1,$stored); print(f'WAL records {(int(b[0])-int(a[0]))/n:.1f}, full-page images {(int(b[1])-int(a[1]))/n:.2f}, WAL bytes {(int(b[2])-int(a[2]))/n:.0f}')"); index blocks read (not in shared_buffers): $(q "select string_agg(indexrelname || ' ' || idx_blks_read, ', ' order by idx_blks_read desc) from pg_statio_user_indexes where relname = 'webhook_log'")" >&2
  echo "[history] $1 seeded: during the measured run, webhook_log autovacuums $(q "select autovacuum_count || ', autoanalyzes ' || autoanalyze_count || ', dead row versions at its end ' || n_dead_tup from pg_stat_user_tables where relname = 'webhook_log'") (its settings: $(q "select coalesce(array_to_string(reloptions, ' '), 'defaults') from pg_class where relname = 'webhook_log'"))" >&2
  drain >/dev/null
  echo "[history] $1 seeded: $(q "select count(*) from webhook_log") webhook_log rows, intake ${i} req/s; the scrape's plans: $(for st in "select platform, status, count(*) from webhook_log where status in ('received', 'queued', 'unmapped') group by platform, status" "select status, count(*) from sync_logs where status not in ('succeeded', 'failed', 'deadlettered') group by status"; do q "explain $st" | grep -o 'Index[A-Za-z ]* using [a-z_]*' | head -1; done | paste -sd';')" >&2
  echo "$i"
}
history_pgbench() { # history_pgbench ROWS -> rows/s of the intake's insert on that database, no service running
  DB=cs_history_$1
  local p; p=$(pgbench_rows)
  echo "[history] $1 seeded: pgbench, the intake's insert (10 rows a statement, 16 clients): $p rows/s" >&2
  echo "$p"
}

history() {
  local empty=() full=() order rows es fs
  history_db cs_history_seed "$HISTORY"
  local -A PID URL INTAKE PGBENCH # by rows of history (0 or HISTORY): service pid and URL (history_up), figures
  for round in 1 2 3; do
    history_db cs_history_0 0
    copy_db cs_history_seed "cs_history_$HISTORY"
    if [ "$round" = 2 ]; then order="$HISTORY 0"; else order="0 $HISTORY"; fi
    for rows in $order; do history_up "$rows"; done
    read -r es fs <<<"$(scrape_pair "${URL[0]}" "${URL[$HISTORY]}")"
    echo "[history] round $round: scrapes in turns, median: empty $es ms, $HISTORY rows $fs ms" >&2
    for rows in $order; do INTAKE[$rows]=$(history_intake "$rows"); done
    stop "${PID[0]}" "${PID[$HISTORY]}"
    for rows in $order; do PGBENCH[$rows]=$(history_pgbench "$rows"); done
    empty+=("$es ${INTAKE[0]} ${PGBENCH[0]}"); full+=("$fs ${INTAKE[$HISTORY]} ${PGBENCH[$HISTORY]}")
    python3 - "$round" "$HISTORY" "${empty[-1]}" "${full[-1]}" <<'PY'
import sys
rnd, rows, (es, ei, ep), (fs, fi, fp) = sys.argv[1], sys.argv[2], (float(x) for x in sys.argv[3].split()), (float(x) for x in sys.argv[4].split())
print(f"[history] round {rnd}: empty {es} ms / {ei:.0f} req/s / pgbench {ep:.0f} rows/s, {rows} rows {fs} ms / {fi:.0f} req/s / pgbench {fp:.0f} rows/s: "
      f"scrape {fs / es:.2f}x, intake {fi / ei:.2f}x, pgbench {fp / ep:.2f}x")
PY
  done
  python3 - "$HISTORY" "${empty[@]}" -- "${full[@]}" <<'PY'
import statistics, sys
rows, rest = sys.argv[1], sys.argv[2:]
cut = rest.index('--')
def medians(runs):
    return [statistics.median(float(r.split()[k]) for r in runs) for k in range(3)]
(es, ei, ep), (fs, fi, fp) = medians(rest[:cut]), medians(rest[cut + 1:])
print(f"[history] medians of 3: empty scrape {es:.1f} ms, intake {ei:.0f} req/s, pgbench {ep:.0f} rows/s; "
      f"{rows} rows scrape {fs:.1f} ms, intake {fi:.0f} req/s, pgbench {fp:.0f} rows/s; with {rows} rows vs empty: "
      f"scrape {fs / es:.2f}x, intake {fi / ei:.2f}x (goal: both within 10%), pgbench {fp / ep:.2f}x (the database's side)")
PY
}

for phase in $PHASES; do
  case $phase in
    modes) mode default 1; mode cluster 1; mode cluster 2 ;;
    history) history ;;
  esac
done
echo "cluster bench done: $(uptime | sed 's/.*load/load/')"
