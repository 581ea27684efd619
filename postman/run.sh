#!/usr/bin/env bash
# Runs the Postman collection with newman against a freshly started co-located platform (the launcher jar), on
# databases and a Redis database of its own that it removes afterwards. Needs the jars built
# (mvn -B verify, or mvn -q -B -DskipTests package), PostgreSQL and Redis like the tests, and npm for newman.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jar=$root/launcher/target/mediamesh.jar
[ -f "$jar" ] || { echo "build first: $jar is missing" >&2; exit 1; }

log() { printf '[newman] %s\n' "$*"; }
work=$(mktemp -d)
suffix=newman_$$
redis_db=13
admin_email="admin-$suffix@example.com"
admin_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')Aa1"
services=(auth cms metadata media processing playback ingest search discovery)

env_args=(MEDIAMESH_ADMIN_EMAIL="$admin_email" MEDIAMESH_ADMIN_PASSWORD="$admin_password"
  MEDIAMESH_REDIS_CONNECTION_STRING="redis://127.0.0.1:6379/$redis_db" MEDIAMESH_HTTP_HOST=127.0.0.1)
for s in "${services[@]}"; do
  env_args+=("MEDIAMESH_SERVICES_${s^^}_DATABASE=${s}_db_$suffix")
done

cleanup() {
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"; wait "$pid" || true
  fi
  for s in "${services[@]}"; do
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${s}_db_$suffix WITH (FORCE)" >/dev/null 2>&1 || true
  done
  redis-cli -h 127.0.0.1 -n "$redis_db" flushdb >/dev/null || true
  rm -rf "$work" "$root/postman/generated"
}
trap cleanup EXIT

redis-cli -h 127.0.0.1 -n "$redis_db" flushdb >/dev/null
# the video the collection uploads, made by FFmpeg from its test sources (no binary is committed)
mkdir -p "$root/postman/generated"
ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=25:duration=8 -f lavfi -i sine=frequency=440:duration=8 \
  -c:v libx264 -preset veryfast -g 50 -pix_fmt yuv420p -c:a aac -shortest "$root/postman/generated/clip.mp4"
log "starting the platform (log: $work/platform.log)"
(cd "$work" && exec env "${env_args[@]}" java -jar "$jar" >"$work/platform.log" 2>&1) &
pid=$!
for _ in $(seq 1 120); do
  if curl -sf http://127.0.0.1:8080/ready >/dev/null && curl -sf http://127.0.0.1:8081/ready >/dev/null; then
    break
  fi
  kill -0 "$pid" 2>/dev/null || { log "the platform exited"; tail -50 "$work/platform.log"; exit 1; }
  sleep 1
done
curl -sf http://127.0.0.1:8081/ready >/dev/null || { log "not ready in 120 s"; tail -50 "$work/platform.log"; exit 1; }

log "running the collection"
status=0
(cd "$root/postman" && npx --yes newman@6.2.1 run mediamesh.postman_collection.json \
  --env-var "adminEmail=$admin_email" --env-var "adminPassword=$admin_password" \
  --timeout-request 10000 --bail) || status=$?
if [ "$status" -ne 0 ]; then
  log "newman failed ($status); last platform log lines:"
  tail -40 "$work/platform.log"
fi
exit "$status"
