#!/usr/bin/env bash
# HTTP load, one run: GET /me (answers the caller's user name) behind
#   none       no authentication (the ceiling),
#   static     the authentication and authorization middleware around a handler that accepts everyone without looking
#              (what ASP.NET Core itself costs: the floor under any bearer handler),
#   userpool   our handler, AddUserPoolAuth,
#   jwtbearer  a plain AddJwtBearer set up for the same pool the way users wire it today,
# driven by wrk on loopback with one repeated token, and with 1,000 distinct tokens in turn.
# The four apps run side by side and the cases take turns, ROUNDS times, each round starting one case later, so
# background load on a shared machine falls on every case alike. Requests/s and latencies are medians over the rounds;
# each ratio is the median of the per-round ratios (both sides measured in the same round), with its lowest and highest.
# The floor runs with both token kinds, so every bearer row has a "vs floor" ratio over the same token set; the last
# lines compare ours with the floor against the HTTP targets (>= 97 % repeated, >= 90 % with 1,000 tokens).
# Bounded: about 6 minutes with the defaults (ROUNDS=10 pinned: about 10); only the processes this script starts are
# stopped, by their pids.
#
#   [RESULTS=rounds.txt] benchmarks/http/run.sh     (defaults: ROUNDS=5 DURATION=4 WARMUP=1 APP_WARMUP=20 CONNECTIONS=32 THREADS=2 TOKENS=1000)
#
# By default wrk and the apps share every core, as on one developer machine: the client's own work is then in every
# figure and narrows the ratios. SERVER_CPUS=0 CLIENT_CPUS=1 THREADS=1 (taskset CPU lists) gives the apps and wrk
# their own cores, so the apps are the bottleneck and the ratios show server cost alone; give it APP_WARMUP=40, as
# tiered compilation on one saturated core takes about 30 s to reach its final code.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-4}
WARMUP=${WARMUP:-1}
APP_WARMUP=${APP_WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TOKENS=${TOKENS:-1000}
source benchmarks/common.sh
pin_cpus
require_tools wrk

dotnet build benchmarks/TokenVerifier.LoadTarget -c Release -nologo -clp:ErrorsOnly >/dev/null
# Printed with the tables: on a shared machine the load tells whether a run can be read at all.
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
app=benchmarks/TokenVerifier.LoadTarget/bin/Release/net10.0/TokenVerifier.LoadTarget.dll
start_work

modes=(none static userpool jwtbearer)
declare -A url app_pid
for mode in "${modes[@]}"; do
  "${server_pin[@]}" dotnet "$app" --mode "$mode" --urls http://127.0.0.1:0 --token-count "$TOKENS" \
    --tokens "$work/$mode.tokens" --ready "$work/$mode.ready" >"$work/$mode.log" 2>&1 &
  pids+=($!)
  app_pid[$mode]=$!
done

# The CPU time an app uses over a wrk run (cpu_ticks), divided by the requests wrk completed, is the server's cost per
# request: unlike requests/s, it does not depend on how the scheduler shares the cores between wrk and the app.

# Each app mints its tokens (its keys never leave it), then writes the address it listens on.
for i in "${!modes[@]}"; do
  mode=${modes[$i]}
  url[$mode]=$(wait_ready "$work/$mode.ready" "${pids[$i]}" "$mode" "$work/$mode.log")
done

# One wrk run against MODE: one repeated token ("repeat") or every token in turn ("rotate").
run_wrk() {
  local seconds=$1 mode=$2 tokens=$3
  local target=(-s benchmarks/http/rotate.lua "${url[$mode]}/me" -- "$work/$mode.tokens")
  if [ "$tokens" = repeat ]; then
    target=(-H "Authorization: Bearer $(head -n 1 "$work/$mode.tokens")" "${url[$mode]}/me")
  fi
  "${client_pin[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --latency --timeout 5s "${target[@]}"
}

# Long enough for tiered compilation to reach its final code under load, so no case measures the JIT: with 6 s, the
# apps were still gaining in the first rounds (no authentication most, which inflated every "vs no auth" ratio).
for mode in "${modes[@]}"; do
  run_wrk "$APP_WARMUP" "$mode" rotate >/dev/null
done

cases=(
  "no-auth none repeat"
  "no-auth-1000-tokens none rotate"
  "auth-middleware-only static repeat"
  "auth-middleware-only-1000-tokens static rotate"
  "userpool-repeated userpool repeat"
  "userpool-1000-tokens userpool rotate"
  "jwtbearer-repeated jwtbearer repeat"
  "jwtbearer-1000-tokens jwtbearer rotate"
)
for round in $(seq 1 "$ROUNDS"); do
  # Each round starts one case later, so no case always runs right after the same neighbour.
  for k in "${!cases[@]}"; do
    c=${cases[$(( (k + round - 1) % ${#cases[@]} ))]}
    read -r name mode tokens <<<"$c"
    run_wrk "$WARMUP" "$mode" "$tokens" >/dev/null
    before=$(cpu_ticks "${app_pid[$mode]}")
    run_wrk "$DURATION" "$mode" "$tokens" >"$work/$name.$round.wrk"
    echo "server-cpu-ticks $(( $(cpu_ticks "${app_pid[$mode]}") - before ))" >>"$work/$name.$round.wrk"
    if grep -q "Non-2xx" "$work/$name.$round.wrk"; then
      cat "$work/$name.$round.wrk" >&2
      echo "$name: some responses were not 2xx; the run is invalid" >&2
      exit 1
    fi
    awk -v name="$name" -v hz="$ticks_per_second" '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 }
      / requests in / { requests = $1 } /^server-cpu-ticks / { ticks = $2 }
      END { printf "%s %s %s %s %s %.2f\n", name, rps, p50, p99, round, ticks * 1e6 / hz / requests }' round="$round" "$work/$name.$round.wrk" >>"$work/results"
  done
done

echo "wrk -t $THREADS -c $CONNECTIONS -d ${DURATION}s per case and round, $ROUNDS rounds taking turns, GET /me on 127.0.0.1, $TOKENS tokens in the 1000-tokens cases."
echo "apps warmed up ${APP_WARMUP}s each; apps on CPUs ${SERVER_CPUS:-any}, wrk on CPUs ${CLIENT_CPUS:-any}."
echo "load average (1, 5, 15 min) $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end, on $(nproc) CPUs."
echo "requests/s and latencies: median over the rounds. Ratios: median over the rounds of that round's ratio (both sides"
echo "measured in the same round, a minute apart at most), with the lowest and highest round in brackets."
echo
awk -v order="$(printf '%s\n' "${cases[@]}" | cut -d' ' -f1 | tr '\n' ' ')" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  # A ratio column: the median, lowest and highest over the rounds of v[c, round] / v[base, round]; with flip,
  # v[base, round] / v[c, round], so that for a cost (CPU per request) more is also better.
  function ratios(v, c, base, percent, flip,   i, m, lo, hi, q) {
    delete y; m = 0
    for (i = 1; i <= n[c]; i++) if ((base, i) in v && v[base, i] > 0 && v[c, i] > 0) { q = flip ? v[base, i] / v[c, i] : v[c, i] / v[base, i]; y[++m] = q }
    if (m == 0) return ""
    lo = y[1]; hi = y[1]; for (i = 2; i <= m; i++) { if (y[i] < lo) lo = y[i]; if (y[i] > hi) hi = y[i] }
    q = median(y, m)
    return percent ? sprintf("%.0f%% (%.0f–%.0f)", 100 * q, 100 * lo, 100 * hi) : sprintf("%.2fx (%.2f–%.2f)", q, lo, hi)
  }
  function column(v, c,   i) { delete x; for (i = 1; i <= n[c]; i++) x[i] = v[c, i]; return median(x, n[c]) }
  # The cases a case is compared with, all under the same tokens: no authentication, the floor (the middleware around a
  # handler that accepts everyone), and, for ours, JwtBearer.
  function peers(c) {
    base = c ~ /1000-tokens$/ ? "no-auth-1000-tokens" : "no-auth"
    floor = c ~ /1000-tokens$/ ? "auth-middleware-only-1000-tokens" : "auth-middleware-only"
    other = c; sub(/^userpool/, "jwtbearer", other)
  }
  # The floor column: only the bearer handlers are compared with it; the floor itself is its own 100 %.
  function vsfloor(v, c, flip) {
    if (c == floor) return "100%"
    return c ~ /^(userpool|jwtbearer)/ ? ratios(v, c, floor, 1, flip) : ""
  }
  { n[$1]++; r[$1, $5] = $2; l50[$1, $5] = $3; l99[$1, $5] = $4; cpu[$1, $5] = $6 }
  END {
    k = split(order, names, " ")
    print "| case | requests/s | p50 (ms) | p99 (ms) | vs no auth, same tokens | vs floor, same tokens | vs JwtBearer, same tokens |"
    print "|---|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= k; i++) {
      c = names[i]
      peers(c)
      vs = c ~ /^userpool/ ? ratios(r, c, other, 0, 0) : ""
      printf "| %s | %.0f | %.2f | %.2f | %s | %s | %s |\n", c, column(r, c), column(l50, c), column(l99, c), c == base ? "100%" : ratios(r, c, base, 1, 0), vsfloor(r, c, 0), vs
    }
    print ""
    print "Server CPU per request (the app process, user + system, over the requests wrk completed). The ratios divide the"
    print "other case cost by this one, per round: the requests/s this case keeps where the server alone is the bottleneck."
    print ""
    print "| case | server CPU µs/request | vs no auth, same tokens | vs floor, same tokens | vs JwtBearer, same tokens |"
    print "|---|---:|---:|---:|---:|"
    for (i = 1; i <= k; i++) {
      c = names[i]
      peers(c)
      vs = c ~ /^userpool/ ? ratios(cpu, c, other, 0, 1) : ""
      printf "| %s | %.1f | %s | %s | %s |\n", c, column(cpu, c), c == base ? "100%" : ratios(cpu, c, base, 1, 1), vsfloor(cpu, c, 1), vs
    }
    # The HTTP targets, in the terms the tables above use (requests/s: the median of the per-round ratios).
    print ""
    print "| target | requests/s vs floor | server CPU vs floor | |"
    print "|---|---:|---:|---|"
    target("userpool-repeated", "auth-middleware-only", 0.97, "ours ≥ 97 % of the floor, repeated token")
    target("userpool-1000-tokens", "auth-middleware-only-1000-tokens", 0.90, "ours ≥ 90 % of the floor, 1,000 tokens")
  }
  function target(c, base, goal, label,   q, verdict) {
    q = median_ratio(r, c, base, 0)
    verdict = q == "" ? "" : (q >= goal ? "met" : "**not met**")
    printf "| %s | %s | %s | %s |\n", label, ratios(r, c, base, 1, 0), ratios(cpu, c, base, 1, 1), verdict
  }
  function median_ratio(v, c, base, flip,   i, m) {
    delete y; m = 0
    for (i = 1; i <= n[c]; i++) if ((base, i) in v && v[base, i] > 0 && v[c, i] > 0) y[++m] = flip ? v[base, i] / v[c, i] : v[c, i] / v[base, i]
    return m == 0 ? "" : median(y, m)
  }' "$work/results"

# RESULTS=file keeps every round's figures: case, requests/s, p50 ms, p99 ms, round, server CPU µs per request.
if [ -n "${RESULTS:-}" ]; then
  cp "$work/results" "$RESULTS"
fi
