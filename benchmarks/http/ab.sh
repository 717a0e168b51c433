#!/usr/bin/env bash
# Two load-target modes side by side, for a change measured against its baseline: both apps start at once, are warmed
# under load, then take turns under wrk with one repeated token, ROUNDS times. Prints each round's requests/s and server
# CPU per request (the app's user + system time over the requests wrk completed) and the median CPU ratio B/A.
#
#   [ROUNDS=8 DURATION=8 WARMUP=30 SERVER_CPUS=0 CLIENT_CPUS=1] benchmarks/http/ab.sh userpool userpool-config
#
# The modes are the load target's (--mode): none, static, userpool, userpool-config, jwtbearer. Only the processes
# this script starts are stopped, by their pids.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 2 ] || { echo "usage: $0 MODE_A MODE_B" >&2; exit 2; }
ROUNDS=${ROUNDS:-8}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-30}
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-1}
source benchmarks/common.sh
pin_cpus
require_tools wrk

dotnet build benchmarks/TokenVerifier.LoadTarget -c Release -nologo -clp:ErrorsOnly >/dev/null
app=benchmarks/TokenVerifier.LoadTarget/bin/Release/net10.0/TokenVerifier.LoadTarget.dll
start_work

modes=("$1" "$2")
declare -A url
for mode in "${modes[@]}"; do
  "${server_pin[@]}" dotnet "$app" --mode "$mode" --urls http://127.0.0.1:0 --token-count 10 \
    --tokens "$work/$mode.tokens" --ready "$work/$mode.ready" >"$work/$mode.log" 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  url[${modes[$i]}]=$(wait_ready "$work/${modes[$i]}.ready" "${pids[$i]}" "${modes[$i]}" "$work/${modes[$i]}.log")
done

run_wrk() {
  "${client_pin[@]}" wrk -t 1 -c 32 -d "${1}s" -H "Authorization: Bearer $(head -n 1 "$work/$2.tokens")" "${url[$2]}/me"
}

for mode in "${modes[@]}"; do
  run_wrk "$WARMUP" "$mode" >/dev/null
done

echo "| round | ${modes[0]} req/s | ${modes[0]} CPU µs/req | ${modes[1]} req/s | ${modes[1]} CPU µs/req | CPU ${modes[1]} / ${modes[0]} |"
echo "|---:|---:|---:|---:|---:|---:|"
ratios=()
for round in $(seq 1 "$ROUNDS"); do

  declare -A cpu=() rps=()
  for i in 0 1; do
    # Alternate which mode goes first, so neither always follows the other.
    mode=${modes[$(( (i + round) % 2 ))]}
    pid=${pids[$(( (i + round) % 2 ))]}
    before=$(cpu_ticks "$pid")
    out=$(run_wrk "$DURATION" "$mode")
    after=$(cpu_ticks "$pid")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    rps[$mode]=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
    cpu[$mode]=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  done
  ratio=$(awk -v a="${cpu[${modes[0]}]}" -v b="${cpu[${modes[1]}]}" 'BEGIN { printf "%.3f", b / a }')
  ratios+=("$ratio")
  echo "| $round | ${rps[${modes[0]}]} | ${cpu[${modes[0]}]} | ${rps[${modes[1]}]} | ${cpu[${modes[1]}]} | $ratio |"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "median CPU ratio ${modes[1]} / ${modes[0]}: $median"
