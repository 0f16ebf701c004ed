#!/usr/bin/env bash
# Back up the database and the uploaded files into a new folder.
#
#   DATABASE_URL=postgres://user:password@host:5432/iop MEDIA_ROOT=/srv/iop/media \
#       scripts/backup.sh /srv/backups/2025-01-31
#
# The folder gets database.dump (pg_dump, custom format: one consistent snapshot),
# media.tar (everything under MEDIA_ROOT), backup.txt (when, from what) and SHA256SUMS,
# written last: a folder without it is an interrupted backup, which restore.sh refuses.
# The database goes first, then the files: a file uploaded in between is in the tar
# without its row (harmless), never a row without its file.
# pg_dump must be of the server's major version or newer (it refuses an older one).
# The backup holds the students' records: it is written readable by its owner only.
# shellcheck source=scripts/_common.sh
source "$(dirname "$0")/_common.sh"
umask 077

[[ $# -eq 1 ]] || die "usage: $(basename "$0") NEW-FOLDER   (DATABASE_URL and MEDIA_ROOT from the environment)"
dest=$1
read_environment
need pg_dump
need tar
need sha256sum
[[ -d $MEDIA_ROOT ]] || die "MEDIA_ROOT=$MEDIA_ROOT is not a folder"
if [[ -e $dest ]]; then
    [[ -d $dest && -z $(ls -A "$dest") ]] || die "$dest exists and is not an empty folder"
fi
mkdir -p "$dest"

echo "== database → $dest/database.dump"
pg_dump --no-password --format=custom --dbname="$DB_URL" --file="$dest/database.dump"
echo "== $MEDIA_ROOT → $dest/media.tar"
tar --create --file="$dest/media.tar" --directory="$MEDIA_ROOT" --numeric-owner .

cd "$dest" || die "cannot enter $dest"
{
    echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "database: ${DB_URL%%\?*}"
    echo "pg_dump: $(pg_dump --version)"
    echo "media files: $(tar --list --file=media.tar | grep -vc '/$' || true)"
} >backup.txt
sha256sum database.dump media.tar backup.txt >SHA256SUMS
echo "backup complete: $dest"
