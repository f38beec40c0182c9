#!/usr/bin/env bash
# repo1 on a volume and repo2 in S3 with docker compose; the store's details in .env, the keys in secrets/.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
for needed in .env secrets/s3-key secrets/s3-key-secret; do
    if [ ! -e "$dir/$needed" ]; then
        echo "missing $dir/$needed: copy store.env.example to .env and put the S3 key and secret in secrets/ (see compose.yaml)" >&2
        exit 2
    fi
done
"$dir/cleanup.sh"
docker compose -f "$dir/compose.yaml" --project-directory "$dir" up -d
cat <<'NEXT'
Once ready (docker compose exec backrest backrest-container wait):
  docker compose exec backrest backrest-container backup --repo 2    # a full backup into S3
  docker compose exec backrest backrest-container info               # each repository and its backups
  docker compose exec backrest backrest-container check              # exit 6 naming a store that does not answer
NEXT
