# shellcheck shell=bash
# Shared by the docker examples: the image (build it with `docker build -f docker/Dockerfile -t backrest-container .`)
# and the environment of the guide's database container.
BACKREST_IMAGE=${BACKREST_IMAGE:-backrest-container:latest}
# shellcheck disable=SC2034 # read by the scripts that source this file
GUIDE_DATABASE_ENV=(
    -e PG_MODE=primary
    -e PG_USER=testuser
    -e PG_PASSWORD=password
    -e PG_DATABASE=userdb
    -e PG_PRIMARY_USER=primaryuser
    -e PG_PRIMARY_PORT=5432
    -e PG_PRIMARY_PASSWORD=password
    -e PG_ROOT_PASSWORD=password
    -e PGHOST=/tmp
    -e PGBACKREST=true
)
export BACKREST_IMAGE
