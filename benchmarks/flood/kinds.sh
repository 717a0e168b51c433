#!/usr/bin/env bash
# What each kind of request costs the app, for two builds of the load target side by side: the "each kind alone" step of
# benchmarks/flood/run.sh (valid tokens, random kids, foreign issuers, bad signatures, 16,000 characters of junk; see
# ForgedTokens.cs), repeated in rounds, the builds taking turns, so both are measured in the same minutes of a shared machine.
#   benchmarks/flood/kinds.sh DIR_A DIR_B
#   DIR_A, DIR_B: LoadTarget build outputs (a copy of benchmarks/TokenVerifier.LoadTarget/bin/Release/net10.0 made before a
#   change, and one after). Both apps run pinned to SERVER_CPUS (default 0), wrk to CLIENT_CPUS (default 1).
#   defaults: ROUNDS=7 KIND_DURATION=3 APP_WARMUP=20 FLOOD_WARMUP=10 CONNECTIONS=32 THREADS=2 MODE=userpool
# Per run, the app's user + system CPU time (/proc/<pid>/stat) over the requests wrk completed; the table gives each
# build's median over the rounds (lowest–highest). Bounded: about 5 minutes with the defaults; only the processes this
# script starts are stopped, by pid.
set -euo pipefail
cd "$(dirname "$0")/../.."

A=${1:?DIR_A (a LoadTarget build output) is required}
B=${2:?DIR_B (a LoadTarget build output) is required}
ROUNDS=${ROUNDS:-7}
KIND_DURATION=${KIND_DURATION:-3}
MODE=${MODE:-userpool}
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-1}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
source benchmarks/common.sh
pin_cpus
require_tools wrk
kinds=(valid random-kid foreign-issuer bad-signature junk-16k)
declare -A pid url
start_work

for app in A B; do
  dir=${!app}
  [ -f "$dir/TokenVerifier.LoadTarget.dll" ] || { echo "$dir has no TokenVerifier.LoadTarget.dll" >&2; exit 1; }
  mkdir "$work/$app"
  "${server_pin[@]}" dotnet "$dir/TokenVerifier.LoadTarget.dll" --mode "$MODE" --urls http://127.0.0.1:0 --token-count 1000 \
    --tokens "$work/$app/valid.tokens" --forged "$work/$app/forged.tokens" --jwks-http "$work/$app/jwks.address" \
    --ready "$work/$app/ready" >"$work/$app/app.log" 2>&1 &
  pid[$app]=$!
  pids+=("${pid[$app]}")
done

run_wrk() {   # run_wrk SECONDS URL TOKENS
  "${client_pin[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${1}s" --latency --timeout 5s -s benchmarks/http/rotate.lua "$2/me" -- "$3"
}
tokens_of() {   # tokens_of APP KIND
  echo "$work/$1/$2.tokens"
}

for app in A B; do
  w=$work/$app
  url[$app]=$(wait_ready "$w/ready" "${pid[$app]}" "$app" "$w/app.log")
  # ForgedTokens writes the four kinds in turn.
  for k in 1 2 3 4; do
    awk -v k="$k" 'NR % 4 == k % 4' "$w/forged.tokens" >"$w/${kinds[$k]}.tokens"
  done
done

# Warm-up: tiered compilation of the accepting and the refusing paths (see benchmarks/http/run.sh on why 20 s).
for app in A B; do
  run_wrk "${APP_WARMUP:-20}" "${url[$app]}" "$work/$app/valid.tokens" >/dev/null
  run_wrk "${FLOOD_WARMUP:-10}" "${url[$app]}" "$work/$app/forged.tokens" >/dev/null
  for kind in "${kinds[@]}"; do
    run_wrk 2 "${url[$app]}" "$(tokens_of "$app" "$kind")" >/dev/null
  done
done

results=$work/results
echo "start $(date -u +%H:%M:%S) UTC, $(uptime | sed 's/.*load/load/')"
for round in $(seq 1 "$ROUNDS"); do
  order="A B"
  [ $((round % 2)) -eq 0 ] && order="B A"
  for kind in "${kinds[@]}"; do
    for app in $order; do
      before=$(cpu_ticks "${pid[$app]}")
      run_wrk "$KIND_DURATION" "${url[$app]}" "$(tokens_of "$app" "$kind")" >"$work/$app/kind.wrk"
      after=$(cpu_ticks "${pid[$app]}")
      requests=$(awk '/ requests in / { print $1 }' "$work/$app/kind.wrk")
      echo "$round $app $kind $((after - before)) $requests" >>"$results"
    done
  done
done
echo "end $(date -u +%H:%M:%S) UTC, $(uptime | sed 's/.*load/load/')"
echo
echo "Each kind alone (wrk -t $THREADS -c $CONNECTIONS -d ${KIND_DURATION}s, closed loop), $ROUNDS rounds: the app's CPU time per request answered."
echo "A: $A"
echo "B: $B"
echo
echo "| requests | A: server CPU µs/request, median (lowest–highest) | B: the same | A req/s | B req/s |"
echo "|---|---:|---:|---:|---:|"
for kind in "${kinds[@]}"; do
  row="| $kind"
  for app in A B; do
    row+=$(awk -v app="$app" -v kind="$kind" -v hz="$ticks_per_second" '$2 == app && $3 == kind { print $4 * 1e6 / hz / $5 }' "$results" | sort -n |
      awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf " | %.1f (%.1f–%.1f)", m, v[1], v[NR] }')
  done
  for app in A B; do
    row+=$(awk -v app="$app" -v kind="$kind" -v d="$KIND_DURATION" '$2 == app && $3 == kind { print $5 / d }' "$results" | sort -n |
      awk '{ v[NR] = $1 } END { printf " | %.0f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  done
  echo "$row |"
done
