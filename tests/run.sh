#!/usr/bin/env bash
# The one test command (README and CI): builds the solution and runs every test project,
# then prints "N passed, N failed, N skipped" summed over all projects.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The Redis integration tests start their own redis-server on a free loopback port; CI runs as root.
command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

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

dotnet test TokenVerifier.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# VSTest prints one summary line per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
    }
    n++
  }
  END { printf "%d %d %d %d\n", p, f, s, n }' "$log")

expected=$(find tests -name '*.Tests.csproj' -o -name '*.IntegrationTests.csproj' | wc -l)
if [ "$projects" -lt "$expected" ]; then
  echo "only $projects of $expected test projects reported results (a test host crashed?)"
  failed=$((failed + 1))
  status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
