# Sourced by the bench scripts: publishes the entrypoint, then holds one database container of the stand-in (repo1
# on a volume, repo2 in S3, a pgbench cluster of scale $1) until release_database or the script's exit. Sets hold
# (a directory with exec.sh, docker exec's equivalent), holder and size. hold_with holds what another of the bench
# program's hold commands sets up (repo-host-hold: repo.sh, primary.sh, replica.sh, local.sh).
# shellcheck shell=bash
hold_database() { # scale
  hold_with wrapper-hold "$1"
}

hold_with() { # the bench program's hold command (wrapper-hold, repo-host-hold), scale
  local app="$PWD/artifacts/app"
  dotnet publish src/BackrestContainer -c Release -o "$app" --nologo -v quiet
  dotnet build bench/BackrestContainer.Bench -c Release --nologo -v quiet
  export BACKREST_CONTAINER_APP_DIR="$app"
  hold=$(mktemp -d /run/brc-bench-hold.XXXXXX)
  dotnet run --project bench/BackrestContainer.Bench -c Release --no-build -- "$1" "$hold" "$2" >"$hold/hold.log" 2>&1 &
  holder=$!
  trap release_database EXIT
  for _ in $(seq 900); do [[ -f "$hold/ready" ]] && break; kill -0 "$holder" 2>/dev/null || { cat "$hold/hold.log"; exit 1; }; sleep 1; done
  # shellcheck disable=SC2034 # read by the scripts that source this one
  size=$(cat "$hold/ready")
}

release_database() { # stops the container held by hold_database, if any
  [[ -n "${hold:-}" && -d "$hold" ]] || return 0
  touch "$hold/stop"; wait "$holder" || true; rm -rf "$hold"
}

# The paired timer (A B A B ..., the ratio run by run): bench/pair.sh, or any with its interface named in BENCH_PAIR.
# shellcheck disable=SC2034 # read by the scripts that source this one
pair=${BENCH_PAIR:-bench/pair.sh}

figures() { # a timer's report -> its figure rows only, for the results files
  grep -E '^ +min +median|^(A|B|A/B) (user|sys|cpu|wall|peak)' <<<"$1"
}

require_success() { # a timer's report: stops the bench when a command of the pair failed (its figures mean nothing)
  grep -q '^A exit 0 ' <<<"$1" && grep -q '^B exit 0 ' <<<"$1" && return 0
  grep -E '^(A|B) exit' <<<"$1" >&2
  echo "bench: a command of the pair failed; no results written" >&2
  exit 1
}
