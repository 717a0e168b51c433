#!/usr/bin/env bash
# Under attack, one run: does a flood of forged tokens hurt legitimate traffic, the key endpoint, or memory?
#   GET /me behind AddUserPoolAuth (benchmarks/TokenVerifier.LoadTarget --mode userpool), its keys fetched over loopback
#   HTTP from an endpoint in the same process that counts every fetch (--jwks-http; /stats there also gives memory).
#   1. capacity: closed-loop wrk with the app's 1,000 valid tokens in turn;
#   2. RATE = half that (RATE_FRACTION), sent open loop by benchmarks/TokenVerifier.FixedRateClient (latency from when each
#      request was due, as wrk2 measures: no coordinated omission), valid tokens only;
#   3. ROUNDS rounds of: that rate alone (the baseline), and that rate while wrk floods from FLOOD_CONNECTIONS closed-loop
#      connections with forged tokens (random kids, foreign issuers, bad signatures, 16,000 characters of junk, in turn;
#      see ForgedTokens.cs), the order alternating from round to round;
#   4. what each kind of forged request costs the app alone (server CPU per request, KIND_DURATION s of closed-loop wrk);
#   5. the p99 of the valid requests under the flood over the baseline's (per round; the median over the rounds), the
#      key fetches against the kid-miss bound (the start-up fetch + 4 per KidMissRefreshInterval, 30 s by default, over
#      the app's lifetime: see KidMissLimiter), and the app's memory: its peak RSS over the capacity run and the rounds
#      (and over step 4) against its RSS after the warm-up, and the GC heap and RSS after a full collection at start,
#      after the warm-up, after the rounds and at the end.
# Bounded: about 3.5 minutes with the defaults (plus the build); only the processes this script starts are stopped, by pid.
#
#   [RESULTS=rounds.txt] benchmarks/flood/run.sh
#   defaults: ROUNDS=3 DURATION=15 CLIENT_WARMUP=2 APP_WARMUP=20 FLOOD_WARMUP=10 CAPACITY_DURATION=10 RATE_FRACTION=0.5
#             CONNECTIONS=32 (capacity) RATE_CONNECTIONS=32 (fixed-rate client) FLOOD_CONNECTIONS=32 THREADS=2 (wrk) KIND_DURATION=5
#   RATE=n fixes the rate instead of measuring the capacity; FLOOD_NICE=n runs the flooding wrk at that nice level.
#   SERIES=dir keeps every valid request's latency, the app's key fetches and its collections' pauses on one clock (see below).
#   SERVER_CPUS=0 CLIENT_CPUS=1 (taskset CPU lists) give the app and the two clients their own cores.
#   REFUSED_TOKEN_DELAY=00:00:01 turns on the userpool scheme's RefusedTokenDelay (off by default, as in the library):
#   each flood connection then gets a refusal per delay once it has sent 3 in a row.
#   MODE=none or MODE=static floods the load target without authentication, or with the authentication middleware around
#   a handler that accepts everyone: the same requests where no token is read, to tell the framework's part from ours
#   (forged tokens are then answered 200, and no key is fetched).
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
CLIENT_WARMUP=${CLIENT_WARMUP:-2}
APP_WARMUP=${APP_WARMUP:-20}
FLOOD_WARMUP=${FLOOD_WARMUP:-10}
CAPACITY_DURATION=${CAPACITY_DURATION:-10}
RATE_FRACTION=${RATE_FRACTION:-0.5}
CONNECTIONS=${CONNECTIONS:-32}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-32}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-32}
THREADS=${THREADS:-2}
FLOOD_NICE=${FLOOD_NICE:-0}
KIND_DURATION=${KIND_DURATION:-5}
RATE=${RATE:-}
MODE=${MODE:-userpool}
REFUSED_TOKEN_DELAY=${REFUSED_TOKEN_DELAY:-}
SERIES=${SERIES:-}
[ -z "$SERIES" ] || mkdir -p "$SERIES"
KID_MISS_INTERVAL=30      # UserPoolValidationOptions.KidMissRefreshInterval's default, which the app keeps
KID_MISS_FETCHES=4        # KidMissLimiter.MaxPerWindow
source benchmarks/common.sh
pin_cpus
require_tools wrk curl

dotnet build benchmarks/TokenVerifier.LoadTarget -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build benchmarks/TokenVerifier.FixedRateClient -c Release -nologo -clp:ErrorsOnly >/dev/null
app=benchmarks/TokenVerifier.LoadTarget/bin/Release/net10.0/TokenVerifier.LoadTarget.dll
client=benchmarks/TokenVerifier.FixedRateClient/bin/Release/net10.0/TokenVerifier.FixedRateClient.dll
start_work

"${server_pin[@]}" dotnet "$app" --mode "$MODE" --urls http://127.0.0.1:0 --token-count 1000 --tokens "$work/valid.tokens" \
  --forged "$work/forged.tokens" --jwks-http "$work/jwks.address" --ready "$work/ready" \
  ${REFUSED_TOKEN_DELAY:+--refused-token-delay "$REFUSED_TOKEN_DELAY"} >"$work/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")
url=$(wait_ready "$work/ready" "$app_pid" "load target" "$work/app.log")
stats_url="$(cat "$work/jwks.address")/stats"
case "$stats_url" in http://127.0.0.1:*) ;; *) echo "the key endpoint is not on loopback: $stats_url" >&2; exit 1 ;; esac
started=$(date +%s.%N)

app_stat() {   # app_stat NAME [collect]: one figure of the app's /stats
  curl -sf "$stats_url${2:+?collect=true}" | awk -v name="$1" '$1 == name { print $2 }'
}
rss_kb() {   # rss_kb [VmRSS|VmHWM]: the app's resident memory now, or its peak since the last reset
  awk -v field="${1:-VmRSS}:" '$1 == field { print $2 }' "/proc/$app_pid/status"
}
# memory LABEL: the peak RSS since the last reset, the RSS now, then a full collection and the GC heap and RSS after it
# (what is retained). The peak is reset afterwards (clear_refs 5), so the next point's peak covers what came between.
memory() {
  local peak rss heap
  peak=$(rss_kb VmHWM)
  rss=$(rss_kb)
  heap=$(app_stat gc-heap-bytes collect)
  echo "$1 $peak $rss $heap $(rss_kb)" >>"$work/memory"
  if ! echo 5 >"/proc/$app_pid/clear_refs" 2>/dev/null; then
    echo "cannot reset the app's peak RSS (/proc/$app_pid/clear_refs): the peaks below run from the app's start" >&2
  fi
}
memory start

# wrk against /me: valid tokens in turn, or the forged ones in turn (rotate.lua takes any file of tokens).
run_wrk() {
  local seconds=$1 tokens=$2 connections=$3
  shift 3
  "$@" "${client_pin[@]}" wrk -t "$THREADS" -c "$connections" -d "${seconds}s" --latency --timeout 5s \
    -s benchmarks/http/rotate.lua "$url/me" -- "$tokens"
}
flood() {
  run_wrk "$1" "$work/forged.tokens" "$FLOOD_CONNECTIONS" nice -n "$FLOOD_NICE"
}
fixed_rate() {
  "${client_pin[@]}" dotnet "$client" --url "$url/me" --tokens "$work/valid.tokens" --rate "$rate" \
    --duration "$DURATION" --warmup "$CLIENT_WARMUP" --connections "$RATE_CONNECTIONS" ${SERIES:+--series "$SERIES/$1.$2"}
}

# Warm-up: tiered compilation of the accepting and the refusing paths (see benchmarks/http/run.sh on why 20 s).
run_wrk "$APP_WARMUP" "$work/valid.tokens" "$CONNECTIONS" >/dev/null
flood "$FLOOD_WARMUP" >/dev/null
memory warm

if [ -z "$RATE" ]; then
  run_wrk "$CAPACITY_DURATION" "$work/valid.tokens" "$CONNECTIONS" >"$work/capacity.wrk"
  ! grep -q "Non-2xx" "$work/capacity.wrk" || { cat "$work/capacity.wrk" >&2; echo "valid tokens were refused" >&2; exit 1; }
  capacity=$(awk '/^Requests\/sec:/ { print $2 }' "$work/capacity.wrk")
  rate=$(awk -v c="$capacity" -v f="$RATE_FRACTION" 'BEGIN { printf "%d", c * f }')
else
  capacity=""
  rate=$RATE
fi

# One fixed-rate run, alone or under the flood: its figures, the app's CPU over it, and (flooded) wrk's.
measure() {
  local round=$1 phase=$2 before flood_pid="" seconds
  before=$(cpu_ticks "$app_pid")
  seconds=$(date +%s.%N)
  if [ "$phase" = flood ]; then
    # Longer than the client can take to start and finish; stopped with SIGINT (wrk then prints its figures) as soon as
    # the client is done, so the flood covers the whole measured window, however slowly the client starts.
    ( exec nice -n "$FLOOD_NICE" "${client_pin[@]}" wrk -t "$THREADS" -c "$FLOOD_CONNECTIONS" -d "$((CLIENT_WARMUP + DURATION + 60))s" \
        --latency --timeout 5s -s benchmarks/http/rotate.lua "$url/me" -- "$work/forged.tokens" ) >"$work/flood.$round.wrk" &
    flood_pid=$!
    pids+=("$flood_pid")
    sleep 1
  fi
  fixed_rate "$round" "$phase" >"$work/$phase.$round.client" || true
  local ticks=$(( $(cpu_ticks "$app_pid") - before ))
  seconds=$(awk -v s="$seconds" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  if [ -n "$flood_pid" ]; then
    kill -INT "$flood_pid" 2>/dev/null || true
    wait "$flood_pid" || true
  fi
  awk -v round="$round" -v phase="$phase" -v ticks="$ticks" -v hz="$ticks_per_second" -v seconds="$seconds" '
    FILENAME ~ /client$/ { v[$1] = $2 }
    FILENAME ~ /wrk$/ && /^Requests\/sec:/ { forged = $2 }
    FILENAME ~ /wrk$/ && /Non-2xx/ { refused = $NF }
    FILENAME ~ /wrk$/ && / requests in / { sent = $1 }
    END {
      printf "%s %s %s %s %s %s %s %s %.0f %s %s %s %s\n", round, phase, v["achieved-rate"], v["latency-p50-ms"], v["latency-p99-ms"],
        v["latency-max-ms"], v["not-200"] + v["unfinished"], forged == "" ? "-" : forged, 100 * ticks / hz / seconds,
        v["service-p99-ms"], sent == "" ? "-" : sent - refused, v["service-p50-ms"], v["client-late-p99-ms"]
    }' "$work/$phase.$round.client" ${flood_pid:+"$work/flood.$round.wrk"} >>"$work/results"
}
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    measure "$round" baseline
    measure "$round" flood
  else
    measure "$round" flood
    measure "$round" baseline
  fi
done
# SERIES=dir keeps each measured run's requests (the client's --series: "due latency-from-due latency-from-sending",
# Stopwatch ticks and nanoseconds) as dir/ROUND.PHASE, and the app's /stats after the rounds as dir/stats: when each
# JWKS fetch came and each collection's pause, on the same clock; benchmarks/flood/stalls.py dir groups the slow requests
# in time and sets them beside the fetches and the pauses.
if [ -n "$SERIES" ]; then
  curl -sf "$stats_url" >"$SERIES/stats"
fi

memory rounds

# What each request of the flood costs the app, kind by kind (ForgedTokens writes them in turn), beside a valid one:
# closed-loop wrk of one kind alone, the app's CPU time over the requests it answered.
kinds=(valid random-kid foreign-issuer bad-signature junk-16k)
for k in 1 2 3 4; do
  awk -v k="$k" 'NR % 4 == k % 4' "$work/forged.tokens" >"$work/${kinds[$k]}.tokens"
done
cp "$work/valid.tokens" "$work/valid-only.tokens"
for kind in "${kinds[@]}"; do
  tokens="$work/$kind.tokens"
  [ "$kind" = valid ] && tokens="$work/valid-only.tokens"
  before=$(cpu_ticks "$app_pid")
  run_wrk "$KIND_DURATION" "$tokens" "$FLOOD_CONNECTIONS" >"$work/$kind.kind"
  echo "$kind $(( $(cpu_ticks "$app_pid") - before ))" >>"$work/kinds"
  awk '/ requests in / { print $1 } /^Requests\/sec:/ { print $2 }' "$work/$kind.kind" | paste -sd' ' >>"$work/kinds"
done

memory end
ended=$(date +%s.%N)
fetches=$(app_stat jwks-fetches)
bound=$(awk -v s="$started" -v e="$ended" -v w="$KID_MISS_INTERVAL" -v k="$KID_MISS_FETCHES" 'BEGIN {
  t = e - s; n = int(t / w); if (n * w < t) n++; print 1 + k * n }')

echo "GET /me on 127.0.0.1 (load target mode $MODE; userpool: AddUserPoolAuth, keys over loopback HTTP; RefusedTokenDelay ${REFUSED_TOKEN_DELAY:-off}). Capacity: wrk -t $THREADS -c $CONNECTIONS -d ${CAPACITY_DURATION}s,"
echo "1,000 valid tokens in turn: ${capacity:-not measured (RATE given)} requests/s. Fixed rate: $rate requests/s (valid tokens in turn, open loop,"
echo "$RATE_CONNECTIONS connections, ${DURATION}s measured after ${CLIENT_WARMUP}s), alone and under a flood of wrk -t $THREADS -c $FLOOD_CONNECTIONS (nice $FLOOD_NICE)"
echo "with forged tokens in turn; $ROUNDS rounds, order alternating. App on CPUs ${SERVER_CPUS:-any}, clients on CPUs ${CLIENT_CPUS:-any}."
echo "Latency runs from when each request was due. Server CPU: the app's user + system time over the run, % of one core."
echo
echo "| round | phase | valid req/s | p50 (ms) | p99 (ms) | max (ms) | valid not 200 | forged req/s | forged answered 2xx | server CPU | p50 sent→answered (ms) | p99 sent→answered (ms) | p99 client's own delay (ms) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk '{ printf "| %s | %s | %.0f | %.2f | %.2f | %.1f | %s | %s | %s | %s%% | %.2f | %.2f | %.2f |\n", $1, $2, $3, $4, $5, $6, $7, $8, $11, $9, $12, $10, $13 }' "$work/results"
echo
awk -v fetches="$fetches" -v bound="$bound" -v started="$started" -v ended="$ended" -v w="$KID_MISS_INTERVAL" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  FILENAME ~ /results$/ { p99[$1, $2] = $5; rounds[$1] = 1 }
  # A request that waits in the client before it is sent is late by the client, not the server: median from due minus
  # median from sending, alone. Past a millisecond the client has fallen behind its schedule (too few connections for
  # the rate, or too little CPU), the baseline measures the client, and no ratio to it says anything about the server.
  FILENAME ~ /results$/ && $2 == "baseline" { late[++b] = $4 - $12 }
  FILENAME ~ /memory$/ { peak[$1] = $2 / 1024; rss[$1] = $3 / 1024; heap[$1] = $4 / 1048576; kept[$1] = $5 / 1024 }
  END {
    m = 0; lo = ""; hi = ""
    for (r in rounds) if (p99[r, "baseline"] > 0) {
      q = p99[r, "flood"] / p99[r, "baseline"]; y[++m] = q
      if (lo == "" || q < lo) lo = q; if (hi == "" || q > hi) hi = q
    }
    behind = b > 0 && median(late, b) > 1
    printf "p99 under the flood / p99 alone: %.2fx median over %d rounds (%.2f–%.2f); target ≤ 2x: %s\n", median(y, m), m, lo, hi,
      behind ? "NOT JUDGED (see below)" : median(y, m) <= 2 ? "met" : "NOT met"
    if (behind) {
      printf "the fixed-rate client fell behind its schedule without the flood: its requests waited %.2f ms (median of the baseline rounds) before they were sent, so its latencies are the client'"'"'s; raise RATE_CONNECTIONS or give the clients more CPU\n", median(late, b)
    }
    printf "JWKS fetches: %d over %.0f s of the app (the start-up fetch included); bound 1 + 4 per %d s window: %d: %s\n", fetches, ended - started, w, bound, fetches <= bound ? "within" : "EXCEEDED"
    printf "app RSS: %.1f MB at start, %.1f MB after the warm-up; peak %.1f MB over the capacity run and the rounds (%+.1f MB: target < 20 MB %s), %.1f MB over the kinds alone (%+.1f MB)\n",
      rss["start"], rss["warm"], peak["rounds"], peak["rounds"] - rss["warm"], peak["rounds"] - rss["warm"] < 20 ? "met" : "NOT met", peak["end"], peak["end"] - rss["warm"]
    printf "after a full collection: GC heap %.1f MB at start, %.1f MB after the warm-up, %.1f MB after the rounds, %.1f MB at the end (%+.1f MB); RSS %.1f, %.1f, %.1f, %.1f MB (%+.1f MB)\n",
      heap["start"], heap["warm"], heap["rounds"], heap["end"], heap["end"] - heap["warm"], kept["start"], kept["warm"], kept["rounds"], kept["end"], kept["end"] - kept["warm"]
  }' "$work/results" "$work/memory"

echo
echo "Each kind alone (wrk -t $THREADS -c $FLOOD_CONNECTIONS -d ${KIND_DURATION}s, closed loop): the app's CPU time per request answered."
echo
echo "| requests | req/s | server CPU µs/request |"
echo "|---|---:|---:|"
paste -d' ' - - <"$work/kinds" | awk -v hz="$ticks_per_second" '{ printf "| %s | %.0f | %.1f |\n", $1, $4, $2 * 1e6 / hz / $3 }'

# RESULTS=file keeps every run's figures: round, phase, valid req/s, p50, p99, max (ms), valid not 200, forged req/s,
# server CPU %, p99 from sending (ms), forged answered 2xx, p50 from sending (ms), p99 of the client's own delay (ms):
# from when the client could have sent it (the request due and the connection it went out on free) to when it did.
if [ -n "${RESULTS:-}" ]; then
  cp "$work/results" "$RESULTS"
fi
