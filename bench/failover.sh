#!/usr/bin/env bash
# Failover benchmark (not a test): PG_MODE=ha with three etcd and three members on a stand-in test network; the time
# from kill -9 of the leader, from a planned stop of it, and from `promote` on a replica (a switchover) to a write
# accepted by another member, with our timing defaults and with Patroni's own. One run, bench/results-failover.md.
# Usage: bench/failover.sh [rounds of each, default 5]. Needs root (the stand-in's namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh
scripts/setup.sh >/dev/null

rounds=${1:-5}
app="$PWD/artifacts/app"
dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
export BACKREST_CONTAINER_APP_DIR="$app"
table=$(dotnet run --project bench/BackrestContainer.Bench -c Release -- failover "$rounds")

cat > bench/results-failover.md <<MD
# Failover benchmark results

\`bench/failover.sh $rounds\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, Patroni $(patroni --version | awk '{print $2}'), etcd 3.4
(three members), PostgreSQL 15. Three PG_MODE=ha members in the stand-in on one test network, no client load.
Each time runs from the signal to the leader's container to the first insert another member commits (polled every
0.1 s through each member's local socket); the stopped member is started again and rejoins before the next round.

$table

How to read it: after a kill -9 nobody gives the leader key up, so the others wait for it to expire: the TTL, less
the time since the leader last renewed it (up to loop_wait), plus the election and the promotion. A planned stop
(docker stop, a Kubernetes rolling update) hands the key over at once, and a switchover (\`promote\`) demotes the leader
cleanly before the replica is promoted. Patroni's rule
\`loop_wait + 2 × retry_timeout ≤ TTL\` holds for both timings; ours takes 8-10 s off a lost leader and 5 s off a switchover, for one more
store write a member every 10 s.
MD
cat bench/results-failover.md
