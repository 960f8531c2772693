#!/bin/sh
# Generate the secret files deploy/compose.yaml mounts (deploy/secrets/, git-ignored).
# Existing files are kept, so running it again changes nothing.
set -eu
dir=$(dirname "$0")/secrets
mkdir -p "$dir"
umask 077
gen() { [ -s "$dir/$1" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/$1"; }
gen postgres_password
gen redis_password
gen app_db_password
gen secret_key
[ -s "$dir/database_url" ] || echo "postgresql://postgres:$(cat "$dir/postgres_password")@postgres:5432/postgres" > "$dir/database_url"
[ -s "$dir/redis_url" ] || echo "redis://:$(cat "$dir/redis_password")@redis:6379/0" > "$dir/redis_url"
# Compose mounts secret files with their owner and mode: the Automat image runs as uid 10001,
# the postgres image reads its password as uid 999.
if [ "$(id -u)" = 0 ]; then
  chown 10001 "$dir"/*
  chown 999 "$dir/postgres_password"
  echo "secrets in $dir (mode 0600; owner uid 10001, postgres_password uid 999)"
else
  echo "secrets in $dir; now: sudo chown 10001 $dir/* && sudo chown 999 $dir/postgres_password"
fi
