#!/usr/bin/env bash
# Revocation across a fleet, the figures of benchmarks/README.md ("Revocation across instances"), re-runnable:
#   - load: req/s, p50/p99 and Redis commands per request of the native and the IDistributedCache store, same run
#     (the opt-in RedisStoreLoadFigures test; TOKENVERIFIER_REDIS_LOAD_REQUESTS=n changes the requests per round, default 30000);
#   - propagation: p50/p99 of a sign-out reaching the other two of three instances, both stores (FleetPropagationTests);
#   - failover under load: the FailClosed window and the sign-outs around a killed primary (FailoverUnderLoadTests).
# Every figure is printed by its test. Needs redis-server (apt-get install redis-server). About 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v redis-server >/dev/null || { echo "redis-server is needed: apt-get install redis-server (or brew install redis)" >&2; exit 1; }
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), $(redis-server --version | cut -d' ' -f3)"
dotnet build tests/TokenVerifier.IntegrationTests -c Release -nologo -clp:ErrorsOnly
TOKENVERIFIER_REDIS_LOAD_REQUESTS="${TOKENVERIFIER_REDIS_LOAD_REQUESTS:-30000}" dotnet test tests/TokenVerifier.IntegrationTests --no-build -c Release \
  --filter "FullyQualifiedName~RedisStoreLoadFigures|FullyQualifiedName~FleetPropagationTests|FullyQualifiedName~FailoverUnderLoadTests" \
  --logger "console;verbosity=detailed"
