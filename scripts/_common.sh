# shellcheck shell=bash
# Shared by backup.sh and restore.sh (sourced, not run).
set -euo pipefail

die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 not found: install PostgreSQL's client programs of the server's major version"
}

# DATABASE_URL as the app reads it, for libpq in DB_URL. A password in the URL would show in
# `ps` on the command line of pg_dump and psql: it moves to PGPASSWORD (percent-decoded).
read_environment() {
    [[ -n ${DATABASE_URL:-} ]] || die "DATABASE_URL is required: postgres://user:password@host:port/name"
    # In an object store the files are not under MEDIA_ROOT: this script would miss every one.
    [[ -z ${STORAGE_S3_BUCKET:-} ]] || die "the files are in the object store (STORAGE_S3_BUCKET): back up the bucket with the store's own tools and the database with pg_dump (README, \"More than one web node\")"
    [[ -n ${MEDIA_ROOT:-} ]] || die "MEDIA_ROOT is required: the folder of uploaded files"
    local url=$DATABASE_URL
    [[ $url =~ ^(postgres|postgresql|pgsql):// ]] || die "DATABASE_URL must be a postgres:// URL: this is a PostgreSQL backup"
    url="postgresql://${url#*://}"
    if [[ $url =~ ^postgresql://([^:@/]*):([^@/]*)@(.*)$ ]]; then
        local encoded=${BASH_REMATCH[2]}
        PGPASSWORD=$(printf '%b' "${encoded//%/\\x}")
        export PGPASSWORD
        url="postgresql://${BASH_REMATCH[1]}@${BASH_REMATCH[3]}"
    fi
    # shellcheck disable=SC2034 # read by the scripts that source this file
    DB_URL=$url
}
