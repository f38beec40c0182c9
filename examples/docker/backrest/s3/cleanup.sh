#!/usr/bin/env bash
# Removes the S3 example's container and its local volumes (the bucket's contents stay: delete them in the store).
set -euo pipefail
docker rm -f -v backrest-s3-backrest-1 >/dev/null 2>&1 || true
docker volume rm -f backrest-s3_br-s3-pgdata backrest-s3_br-s3-backups >/dev/null 2>&1 || true
