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

scrape() { # median ms of 40 scrapes, after 20 unmeasured ones (the first scrapes of a fresh service run cold code)
  local url=$1
  for _ in $(seq 1 20); do curl -s -o /dev/null -H "Authorization: Bearer $OPERATOR_KEY" "$url/actuator/prometheus"; done
  for _ in $(seq 1 40); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $OPERATOR_KEY" "$url/actuator/prometheus"; done \
    | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int((NR + 1) / 2)] * 1000}'
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
history_run() { # history_run ROWS -> "scrape_ms req/s", a fresh service on the database history_db ROWS made
  DB=cs_history_$1
  local port; port=$(free_port); start default "$port" "history-$1"; local pid=$STARTED url=http://127.0.0.1:$port
  wrk_on "warm-history-$1" 64 "$url" >/dev/null; drain >/dev/null
  local s i
  s=$(scrape "$url")
  # where the database's work goes: WAL (full-page images after a checkpoint are the cost of touching many pages) and
  # index blocks read from outside shared_buffers, per index of webhook_log
  q "select pg_stat_reset()" >/dev/null; local w0 n0; w0=$(q "select wal_records || ' ' || wal_fpi || ' ' || wal_bytes from pg_stat_wal"); n0=$(q "select count(*) from webhook_log")
  i=$(wrk_on "history-$1" 64 "$url")
  local w1 stored; w1=$(q "select wal_records || ' ' || wal_fpi || ' ' || wal_bytes from pg_stat_wal"); stored=$(( $(q "select count(*) from webhook_log") - n0 ))
  echo "[history] $1 seeded: during the measured run, per row stored: $(python3 -c "a='$w0'.split(); b='$w1'.split(); n=max(1,$stored); print(f'WAL records {(int(b[0])-int(a[0]))/n:.1f}, full-page images {(int(b[1])-int(a[1]))/n:.2f}, WAL bytes {(int(b[2])-int(a[2]))/n:.0f}')"); index blocks read (not in shared_buffers): $(q "select string_agg(indexrelname || ' ' || idx_blks_read, ', ' order by idx_blks_read desc) from pg_statio_user_indexes where relname = 'webhook_log'")" >&2
  echo "[history] $1 seeded: during the measured run, webhook_log autovacuums $(q "select autovacuum_count || ', autoanalyzes ' || autoanalyze_count || ', dead row versions at its end ' || n_dead_tup from pg_stat_user_tables where relname = 'webhook_log'") (its settings: $(q "select coalesce(array_to_string(reloptions, ' '), 'defaults') from pg_class where relname = 'webhook_log'"))" >&2
  drain >/dev/null
  echo "[history] $(q "select count(*) from webhook_log") webhook_log rows: scrape median ${s} ms, intake ${i} req/s" >&2
  echo "[history] the scrape's plans: $(for st in "select platform, status, count(*) from webhook_log where status in ('received', 'queued', 'unmapped') group by platform, status" "select status, count(*) from sync_logs where status not in ('succeeded', 'failed', 'deadlettered') group by status"; do q "explain $st" | grep -o 'Index[A-Za-z ]* using [a-z_]*' | head -1; done | paste -sd';')" >&2
  stop "$pid"
  echo "$s $i"
}

history() {
  local empty=() full=() order rows r
  history_db cs_history_seed "$HISTORY"
  for round in 1 2 3; do
    history_db cs_history_0 0
    copy_db cs_history_seed "cs_history_$HISTORY"
    if [ "$round" = 2 ]; then order="$HISTORY 0"; else order="0 $HISTORY"; fi
    for rows in $order; do
      r=$(history_run "$rows")
      if [ "$rows" = 0 ]; then empty+=("$r"); else full+=("$r"); fi
    done
    echo "[history] round $round: empty ${empty[-1]% *} ms / ${empty[-1]#* } req/s, $HISTORY rows ${full[-1]% *} ms / ${full[-1]#* } req/s: scrape $(python3 -c "print(round(${full[-1]% *} / ${empty[-1]% *}, 2))")x, intake $(python3 -c "print(round(${full[-1]#* } / ${empty[-1]#* }, 2))")x"
  done
  python3 - "$HISTORY" "${empty[@]}" -- "${full[@]}" <<'PY'
import statistics, sys
rows, rest = sys.argv[1], sys.argv[2:]
cut = rest.index('--')
def medians(runs):
    return statistics.median(float(r.split()[0]) for r in runs), statistics.median(float(r.split()[1]) for r in runs)
(es, ei), (fs, fi) = medians(rest[:cut]), medians(rest[cut + 1:])
print(f"[history] medians of 3: empty scrape {es:.1f} ms, intake {ei:.0f} req/s; {rows} rows scrape {fs:.1f} ms, intake {fi:.0f} req/s; "
      f"with {rows} rows vs empty: scrape {fs / es:.2f}x, intake {fi / ei:.2f}x (goal: both within 10%)")
PY
}

for phase in $PHASES; do
  case $phase in
    modes) mode default 1; mode cluster 1; mode cluster 2 ;;
    history) history ;;
  esac
done
echo "cluster bench done: $(uptime | sed 's/.*load/load/')"
