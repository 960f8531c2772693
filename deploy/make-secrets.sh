#!/bin/sh
# Generate the secret files deploy/compose.yaml mounts (deploy/secrets/, git-ignored).
# Existing files are kept, so running it again changes nothing.
set -eu
dir=$(dirname "$0")/secrets
mkdir -p "$dir"
umask 077
gen() { [ -s "$dir/$1" ] || python3 -c 'import secrets; print(secrets.token_hex(24))' > "$dir/$1"; }
gen postgres_password
gen redis_password
gen app_db_password
gen secret_key
[ -s "$dir/database_url" ] || echo "postgresql://postgres:$(cat "$dir/postgres_password")@postgres:5432/postgres" > "$dir/database_url"
[ -s "$dir/redis_url" ] || echo "redis://:$(cat "$dir/redis_password")@redis:6379/0" > "$dir/redis_url"
# Compose mounts secret files with their owner and mode: the image runs as uid 10001.
if [ "$(id -u)" = 0 ]; then
  chown 10001 "$dir"/*
  echo "secrets in $dir (owner uid 10001, mode 0600)"
else
  echo "secrets in $dir; now: sudo chown 10001 $dir/*  (the image runs as uid 10001)"
fi
