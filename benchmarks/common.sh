# Sourced by the load scripts (http/run.sh, flood/run.sh): what they share to start apps on loopback, pin them and the
# clients to cores, and stop only what they started.
#   pin_cpus                 checks SERVER_CPUS / CLIENT_CPUS (taskset CPU lists) and sets the server_pin and client_pin
#                            command prefixes (empty arrays when unset)
#   require_tools T...       installs each missing tool from apt when root, else says how and exits
#   start_work               a temporary directory ($work) and the list of started pids ($pids), both cleaned up on exit
#   wait_ready FILE PID NAME waits (180 s at most) for an app to write its address to FILE; prints the address, which
#                            must be on loopback
#   cpu_ticks PID            the user + system CPU time a process has used so far, in clock ticks ($ticks_per_second)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ticks_per_second=$(getconf CLK_TCK)

pin_cpus() {
  SERVER_CPUS=${SERVER_CPUS:-}
  CLIENT_CPUS=${CLIENT_CPUS:-}
  server_pin=()
  client_pin=()
  local cpus
  for cpus in "$SERVER_CPUS" "$CLIENT_CPUS"; do
    if [ -n "$cpus" ] && ! taskset -c "$cpus" true 2>/dev/null; then
      echo "cannot pin to CPUs '$cpus' (taskset -c; this machine has $(nproc))" >&2
      exit 1
    fi
  done
  if [ -n "$SERVER_CPUS" ]; then server_pin=(taskset -c "$SERVER_CPUS"); fi
  if [ -n "$CLIENT_CPUS" ]; then client_pin=(taskset -c "$CLIENT_CPUS"); fi
}

require_tools() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null
      else
        echo "$tool is missing: sudo apt-get install -y $tool" >&2
        exit 1
      fi
    fi
  done
}

start_work() {
  work=$(mktemp -d)
  pids=()
  trap stop_work EXIT
}

stop_work() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}

wait_ready() {
  local file=$1 pid=$2 name=$3 log=${4:-}
  for _ in $(seq 1 900); do
    [ -s "$file" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      [ -n "$log" ] && cat "$log" >&2
      echo "the $name app stopped" >&2
      exit 1
    fi
    sleep 0.2
  done
  [ -s "$file" ] || { echo "the $name app did not start within 180 s" >&2; exit 1; }
  local address
  address=$(cat "$file")
  case "$address" in http://127.0.0.1:*) ;; *) echo "the $name app is not on loopback: $address" >&2; exit 1 ;; esac
  echo "$address"
}

cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
