#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY database and an empty MEDIA_ROOT.
#
#   createdb iop_restored      # a new, empty database (or a fresh volume under Compose)
#   DATABASE_URL=postgres://user:password@host:5432/iop_restored MEDIA_ROOT=/srv/iop/media-restored \
#       scripts/restore.sh /srv/backups/2025-01-31
#
# Checks the files against SHA256SUMS first; refuses a database that has any table and a
# MEDIA_ROOT that has any file, so it never mixes a backup into live data. The database is
# restored in one transaction (all or nothing), owned by the user of DATABASE_URL; then
# the files. Run it as the user the app runs as, so the files are the app's.
# shellcheck source=scripts/_common.sh
source "$(dirname "$0")/_common.sh"

[[ $# -eq 1 ]] || die "usage: $(basename "$0") BACKUP-FOLDER   (DATABASE_URL and MEDIA_ROOT from the environment)"
src=$1
read_environment
need pg_restore
need psql
need tar
need sha256sum

[[ -f $src/SHA256SUMS ]] || die "$src/SHA256SUMS is missing: not a complete backup"
(cd "$src" && sha256sum --check --quiet --strict SHA256SUMS) ||
    die "$src does not match its SHA256SUMS: the backup is damaged or was changed"

relations=$(psql --no-password --no-psqlrc --quiet --tuples-only --no-align --dbname="$DB_URL" --command="
    SELECT count(*) FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")
[[ $relations == 0 ]] ||
    die "the database is not empty ($relations tables, sequences or indexes): restore into a new, empty one (createdb)"
if [[ -e $MEDIA_ROOT && -n $(ls -A "$MEDIA_ROOT") ]]; then
    die "MEDIA_ROOT=$MEDIA_ROOT is not empty: restore into an empty folder"
fi

echo "== $src/database.dump → the database"
pg_restore --no-password --exit-on-error --single-transaction --no-owner --no-privileges \
    --dbname="$DB_URL" "$src/database.dump"
echo "== $src/media.tar → $MEDIA_ROOT"
mkdir -p "$MEDIA_ROOT"
tar --extract --file="$src/media.tar" --directory="$MEDIA_ROOT" --numeric-owner
echo "restore complete: $(grep '^created:' "$src/backup.txt")"
