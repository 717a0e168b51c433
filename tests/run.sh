#!/usr/bin/env bash
# The one test command (README and CI): builds the solution and runs every test project,
# then prints "N passed, N failed, N skipped" summed over all projects.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Prerequisites first: install what apt can provide when we run as root (CI does), then name everything still missing
# in one message and stop before a long build fails halfway.
apt_updated=
apt_install() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then
    apt-get update -qq || { echo "apt-get update failed (see above)" >&2; return 1; }
    apt_updated=1
  fi
  echo "installing with apt-get: $*"
  # Quiet on success, but apt's errors stay on stderr where they can be read.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || { echo "apt-get install $* failed (see above)" >&2; return 1; }
}

have_cc() { command -v clang >/dev/null || command -v gcc >/dev/null; }
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# The Redis integration tests start their own redis-server on a free loopback port.
command -v redis-server >/dev/null || apt_install redis-server || true
# Native AOT publishing (the package consumer test) links with the platform's C toolchain.
have_cc || apt_install clang zlib1g-dev || true
if ! command -v npm >/dev/null || [ "$(node_major)" -lt 20 ]; then
  command -v node >/dev/null || apt_install nodejs npm || true
fi

missing=()
dotnet --list-sdks 2>/dev/null | grep -q '^10\.' ||
  missing+=("the .NET 10 SDK (dotnet): https://dotnet.microsoft.com/download/dotnet/10.0, or your distribution's dotnet-sdk-10.0 package")
{ command -v node >/dev/null && [ "$(node_major)" -ge 20 ]; } ||
  missing+=("Node.js 20 or later (node $(node --version 2>/dev/null || echo 'not found')): https://nodejs.org, or apt-get install nodejs")
command -v npm >/dev/null || missing+=("npm (comes with Node.js; apt-get install npm)")
command -v redis-server >/dev/null || missing+=("redis-server: apt-get install redis-server (or brew install redis)")
have_cc || missing+=("a C toolchain for the Native AOT test (clang or gcc, with zlib headers): apt-get install clang zlib1g-dev")
if [ ${#missing[@]} -gt 0 ]; then
  echo "Cannot run the tests; missing prerequisites:"
  printf '  - %s\n' "${missing[@]}"
  echo "(run as root on a Debian/Ubuntu machine and this script installs what apt provides)"
  echo "0 passed, 1 failed"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The emulator tests run cognito-local and the AWS JavaScript clients installed from the committed lock file.
if ! (cd tests/TokenVerifier.IntegrationTests/emulator && npm ci --no-audit --no-fund --loglevel=error); then
  echo "npm ci failed"
  echo "0 passed, 1 failed"
  exit 1
fi

if ! dotnet build TokenVerifier.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# The unit test projects run side by side, as `dotnet test` on the solution ran them; the integration tests run after
# them, alone. Beside another assembly on two cores, the Redis failover tests' five Redis processes and three app
# instances were starved past their timeouts (503s before the primary was killed, sign-outs never acknowledged).
units=$(find tests -name '*.Tests.csproj' | sort)
integration=$(find tests -name '*.IntegrationTests.csproj' | sort)
status=0
pids=()
for project in $units; do
  ( dotnet test "$project" -c Release --no-build --nologo 2>&1 | tee -a "$log" ) &
  pids+=("$!")
done
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done
for project in $integration; do
  dotnet test "$project" -c Release --no-build --nologo 2>&1 | tee -a "$log" || status=1
done

# VSTest prints one summary line per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
    }
    n++
  }
  END { printf "%d %d %d %d\n", p, f, s, n }' "$log")

expected=$(printf '%s\n' $units $integration | wc -l)
if [ "$projects" -lt "$expected" ]; then
  echo "only $projects of $expected test projects reported results (a test host crashed?)"
  failed=$((failed + 1))
  status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
