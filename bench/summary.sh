#!/usr/bin/env bash
# Rewrites the last section of bench/results.md from the other benchmarks' results (the wrapper's own time,
# barman-cloud side by side, WAL archiving, the repository host), so one page holds every headline figure. Run by
# bench/run.sh, wrapper.sh, peers.sh, archiving.sh and repo-host.sh.
set -euo pipefail
cd "$(dirname "$0")"
marker="## From the other benchmarks"
results=results.md
table() { # file -> its first Markdown table
  if [[ -f "$1" ]]; then awk '/^\|/ {print; seen=1; next} seen {exit}' "$1"; else echo "(not run yet)"; fi
}
{
  sed "/^$marker\$/,\$d" "$results" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
  echo
  echo "$marker"
  echo
  echo "The wrapper's own time around pgBackRest (\`bench/wrapper.sh\`, details in results-wrapper.md):"
  echo
  table results-wrapper.md
  echo
  echo "Side by side with barman-cloud, CloudNativePG's engine, on the same S3 server (\`bench/peers.sh\`, details in results-peers.md):"
  echo
  table results-peers.md
  echo
  echo "WAL archiving under a write load, side by side with barman-cloud (\`bench/archiving.sh\`, details in results-archiving.md):"
  echo
  table results-archiving.md
  echo
  echo "A repository host over pgBackRest's TLS protocol: backups from the standby, archive-push through it (\`bench/repo-host.sh\`, details in results-repo-host.md):"
  echo
  table results-repo-host.md
} >"$results.tmp"
mv "$results.tmp" "$results"
