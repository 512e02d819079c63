#!/usr/bin/env bash
# Out-of-process benchmark of channel-sync (issue 12), run by `make bench`. It starts the service (the jar,
# target/channel-sync.jar) against the PostgreSQL on $PGHOST:$PGPORT in a fresh database (cs_bench), with a channel
# stub on 127.0.0.1 (bench/ChannelBench.java) as Airbnb and Booking.com, and measures in one run:
#  1. intake, listings unmapped (events are only parked as unmapped): ../shared/bench/ingest-vs-peer.sh, which
#     also measures the plain Spring peer and pgbench in the same run (wrk, 64 connections, pre-signed requests);
#  2. intake again with listings 90000000..90000499 mapped through the API (an Airbnb and a Booking.com channel
#     connection, then the mappings; each event upserts a booking and creates a Booking.com sync job that the stub
#     answers; mapping a listing also releases its events parked in phase 1);
#     after each: every 2xx that wrk saw has its webhook_log row (the count is checked);
#  3. propagation: 50 bookings/s for 60 s, from each webhook's 202 to its Booking.com push arriving at the stub;
#  4. backoff: the same for healthy bookings alone, then with 1,000 sync jobs in backoff (stub answers 503).
#     Booking.com's circuit breaker is kept closed for the whole run (minimum calls out of reach): its 250 failing
#     hotels amid 250 healthy ones would open it, and an open breaker holds jobs instead of retrying them, so the
#     backoff would not be measured. The breaker's own behaviour is ChannelBreakerTest's (a channel down 2 minutes);
#  5. poll: 50 new Booking.com reservations/s for 60 s in the stub's reservation queue, polled every second (Booking.com's
#     5 s pause after an acknowledgement applies); from the poll that fetched each to its Airbnb calendar PUT at the stub;
#     after a warm-up round of BENCH_POLL_WARM_SECONDS (60) at the same rate (a cold JIT compiling the poll's code took a
#     third of the service's CPU in the first minute), printed but not the figure; per GET, its size and the rate its
#     messages were stored and pushed at; then pgbench's single-row insert on the same database as the run's reference.
# Figures go to stdout and target/bench/ (wrk outputs, service log, JFR recording of the first measured round).
#
# Environment: BENCH_SECONDS (20) and BENCH_ROUNDS (2) per intake round; BENCH_PROPAGATION_SECONDS (60); BENCH_POLL_WARM_SECONDS (60); BENCH_JFR=1 records the first measured
# channel-sync round with JDK Flight Recorder (target/bench/<phase>-cs1.jfr); BENCH_PHASES (unmapped mapped
# propagation backoff); CS_JAR / CS_HOME to measure another build (a jar and the folder holding its application.yaml,
# routes/ and liquibase/); BENCH_DB (default cs_bench_<pid>, dropped at the end unless BENCH_KEEP_DB=1); PGHOST, PGPORT,
# PGUSER as for psql.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
# ../shared/bench beside the checkout (a worktree under wt/ finds it one level further up)
SHARED=${SHARED_BENCH:-$( [ -d "$REPO/../shared/bench" ] && echo "$REPO/../shared/bench" || echo "$REPO/../../shared/bench")}
D=${BENCH_SECONDS:-20}; R=${BENCH_ROUNDS:-2}
PHASES=${BENCH_PHASES:-unmapped mapped propagation backoff poll}
# the Booking.com reservation poll runs only for the poll phase (every second), so it adds no work to the others
case " $PHASES " in *" poll "*) POLL=true ;; *) POLL=false ;; esac
OUT=$REPO/target/bench; mkdir -p "$OUT"; rm -f "$OUT"/wrk-*.out
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGOPTIONS="--client-min-messages=warning"
# a database of this run's own (dropped at the end): several checkouts may bench on one server at once
SECRET=bench-airbnb-secret; OPERATOR_KEY=bench-operator-key; DB=${BENCH_DB:-cs_bench_$$}
# the AES key of channel credentials at rest (required): a bench-only key, like make run's development key
ENCRYPTION_KEY=YmVuY2gtb25seS1jcmVkZW50aWFscy1rZXktMzItYnk=
command -v wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
PORT=$(free_port); STUB_PORT=$(free_port)
BASE=http://127.0.0.1:$PORT; STUB=http://127.0.0.1:$STUB_PORT

CS_JAR=${CS_JAR:-$REPO/target/channel-sync.jar}; CS_HOME=${CS_HOME:-$REPO}
[ "$CS_JAR" != "$REPO/target/channel-sync.jar" ] || make -s build
psql -q -d postgres -c "drop database if exists $DB" -c "create database $DB" >/dev/null

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -n "${BENCH_KEEP_DB:-}" ] || psql -q -d postgres -c "drop database if exists $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
java bench/ChannelBench.java stub "$STUB_PORT" >"$OUT/stub.log" 2>&1 & PIDS+=($!)
(cd "$CS_HOME" && SERVER_PORT=$PORT \
  SPRING_DATASOURCE_URL=jdbc:postgresql://$PGHOST:$PGPORT/$DB SPRING_DATASOURCE_USERNAME=$PGUSER \
  CHANNEL_SYNC_WEBHOOKS_AIRBNB_SECRETS=$SECRET CHANNEL_SYNC_SECURITY_OPERATOR_KEYS=$OPERATOR_KEY \
  CHANNEL_SYNC_CHANNELS_AIRBNB_BASE_URL=$STUB/airbnb CHANNEL_SYNC_CHANNELS_BOOKING_COM_BASE_URL=$STUB/booking_com \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_ID=bench CHANNEL_SYNC_CHANNELS_BOOKING_COM_CLIENT_SECRET=bench \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_TOKEN_URL=$STUB/booking_com/token-based-authentication/exchange \
  CHANNEL_SYNC_CHANNELS_BOOKING_COM_RESERVATIONS_BASE_URL=$STUB/booking_com CHANNEL_SYNC_CHANNELS_BOOKING_COM_POLL_AUTO_STARTUP=$POLL CHANNEL_SYNC_CHANNELS_BOOKING_COM_POLL_INTERVAL=1s \
  CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY=${CHANNEL_SYNC_SECURITY_ENCRYPTION_KEY:-$ENCRYPTION_KEY} \
  CHANNEL_SYNC_RECONCILIATION_AUTO_STARTUP=false \
  CHANNEL_SYNC_CIRCUIT_BREAKER_MINIMUM_CALLS=${CHANNEL_SYNC_CIRCUIT_BREAKER_MINIMUM_CALLS:-100000000} \
  exec java ${BENCH_JAVA_OPTS:-} -jar "$CS_JAR") >"$OUT/service.log" 2>&1 & CS_PID=$!; PIDS+=($CS_PID)
for _ in $(seq 1 180); do
  curl -sf "$BASE/actuator/health" >/dev/null 2>&1 && curl -sf "$STUB/_bench/counts" >/dev/null 2>&1 && break
  kill -0 "$CS_PID" 2>/dev/null || { tail -50 "$OUT/service.log"; echo "channel-sync did not start" >&2; exit 1; }
  sleep 1
done
curl -sf "$BASE/actuator/health" >/dev/null || { echo "channel-sync not healthy after 180 s" >&2; exit 1; }
echo "channel-sync $BASE (pid $CS_PID), channel stub $STUB; $(nproc) cores; $(uptime | sed 's/.*load/load/')"

# wrk as the shared script calls it, keeping each output (it prints p50 too) and, with BENCH_JFR=1, recording the
# first measured channel-sync round with JFR
REAL_WRK=$(command -v wrk); mkdir -p "$OUT/shim"
cat >"$OUT/shim/wrk" <<EOF
#!/usr/bin/env bash
tag=\$(basename "\${@: -2:1}" .lua)
if [ "\$tag" = cs1 ] && [ -n "\${BENCH_JFR:-}" ]; then jcmd $CS_PID JFR.start name=cs1 settings=profile filename="$OUT/\$PHASE-cs1.jfr" >/dev/null; fi
"$REAL_WRK" "\$@" | tee "$OUT/wrk-\$PHASE-\$tag.out"
if [ "\$tag" = cs1 ] && [ -n "\${BENCH_JFR:-}" ]; then jcmd $CS_PID JFR.stop name=cs1 >/dev/null; fi
EOF
chmod +x "$OUT/shim/wrk"

rows() { psql -tA -d $DB -c "select count(*) from webhook_log where status <> 'rejected'"; }
fig() { awk -v k="$2" '$1 == k {print $2}' "$1" 2>/dev/null; }

intake() { # PHASE: the shared script, then the p50s it does not print, then the row check
  export PHASE=$1
  local before; before=$(rows)
  PATH="$OUT/shim:$PATH" "$SHARED/ingest-vs-peer.sh" "$BASE" "$SECRET" "$D" "$R" | sed "s/^/[$PHASE] /"
  sleep 2 # answers already sent are committed; let the last in-flight ones land too
  local accepted=0 f
  for f in "$OUT"/wrk-"$PHASE"-warm-cs.out "$OUT"/wrk-"$PHASE"-cs*.out; do
    [ -f "$f" ] && accepted=$(( accepted + $(awk '/requests in/ {n=$1} /Non-2xx/ {m=$5} END {print n - m}' "$f") ))
  done
  for r in $(seq 1 "$R"); do
    local cs="$OUT/wrk-$PHASE-cs$r.out" peer="$OUT/wrk-$PHASE-peer$r.out"
    printf '[%s] round %s: channel-sync %s req/s p50 %s ms p99 %s ms | peer %s req/s p50 %s ms p99 %s ms | ratio %s\n' "$PHASE" "$r" \
      "$(awk '/Requests\/sec/ {print $2}' "$cs")" "$(fig "$cs" p50_ms)" "$(fig "$cs" p99_ms)" \
      "$(awk '/Requests\/sec/ {print $2}' "$peer")" "$(fig "$peer" p50_ms)" "$(fig "$peer" p99_ms)" \
      "$(python3 -c "print(round($(awk '/Requests\/sec/ {print $2}' "$cs")/$(awk '/Requests\/sec/ {print $2}' "$peer"),3))")"
  done
  local stored=$(( $(rows) - before ))
  echo "[$PHASE] every 2xx has its row: $( [ "$stored" -ge "$accepted" ] && echo yes || echo NO) ($accepted answered 2xx by wrk, $stored rows stored)"
  psql -tA -d $DB -c "select status, count(*) from webhook_log group by status order by 1" | tr '\n' ' ' | sed "s/^/[$PHASE] webhook_log by status now: /"; echo
  [ "$stored" -ge "$accepted" ] || { echo "[$PHASE] ROWS MISSING: $((accepted - stored)) acknowledged events have no row" >&2; exit 1; }
}

# The same machine's speed now, for phases the shared script does not measure against a reference (absolute figures
# drift here from one hour to the next): pgbench's single-row insert, as the shared script runs it, on a scratch table
reference_tps() {
  psql -q -d $DB -c "create table if not exists bench_reference (id bigserial primary key, v text)"
  echo "insert into bench_reference (v) values ('x');" >"$OUT/reference.sql"
  pgbench -n -c 16 -j 2 -T 10 -f "$OUT/reference.sql" $DB 2>&1 | awk '/^tps/ {printf "%.0f", $3}'
  psql -q -d $DB -c "drop table bench_reference"
}

# listings 90000000..90000499 mapped through the API (once; the phases after the first find them)
map_listings() {
  psql -tA -d $DB -c "select count(*) from channel_mappings where listing_id::bigint between 90000000 and 90000499" | grep -qx 0 &&
    java bench/ChannelBench.java map "$BASE" "$OPERATOR_KEY" 500 || true
}

for phase in $PHASES; do
  case $phase in
    unmapped) intake unmapped ;;
    mapped)
      map_listings
      intake mapped
      echo "[mapped] bookings $(psql -tA -d $DB -c "select count(*) from bookings"), sync jobs by status: $(psql -tA -d $DB -c "select string_agg(status || ' ' || n, ', ') from (select status, count(*) n from sync_logs group by 1 order by 1) s")" ;;
    propagation)
      map_listings
      # the intake backlog of the phases before is drained first: propagation is measured on a service at rest
      for _ in $(seq 1 600); do [ "$(psql -tA -d $DB -c "select count(*) from webhook_log where status in ('received','queued')")" = 0 ] && break; sleep 1; done
      echo "[propagation] $(java bench/ChannelBench.java propagation "$BASE" "$SECRET" "$STUB" 50 "${BENCH_PROPAGATION_SECONDS:-60}")" ;;
    backoff)
      map_listings
      echo "$(java bench/ChannelBench.java backoff "$BASE" "$SECRET" "$STUB")" | sed 's/^/[backoff] /' ;;
    poll)
      psql -tA -d $DB -c "select count(*) from channel_mappings where listing_id::bigint between 90000000 and 90000499" | grep -qx 0 &&
        java bench/ChannelBench.java map "$BASE" "$OPERATOR_KEY" 500
      java bench/ChannelBench.java poll "$STUB" 50 "${BENCH_PROPAGATION_SECONDS:-60}" "${BENCH_POLL_WARM_SECONDS:-60}" | sed 's/^/[poll] /'
      echo "[poll] reference, same run: pgbench single-row insert on this database, 16 clients, 10 s, service idle: $(reference_tps) tps" ;;
  esac
done
echo "cores: $(nproc); $(uptime | sed 's/.*load/load/'); outputs in $OUT"
