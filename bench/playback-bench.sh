#!/usr/bin/env bash
# Playback benchmark: starts the co-located platform (launcher jar), publishes a transcoded program that 10,000
# entitled viewers may play (a subscription each), then measures through the discovery gateway:
#   plays       POST /api/v1/play/program/{id}, each request as the next of the 10,000 viewers (access check, a
#               stream slot in Redis, a signed URL); each viewer's token was used once before, as an app's is
#   plays-cold  the same with tokens never seen before (every request verifies an ES256 signature); no target
#   heartbeats  POST /api/v1/play/sessions/{id}/heartbeat over sessions seeded just before (the access check
#               again, the slot renewed, the position saved)
#   stream      GET /stream/<token>/v360/seg_00001.ts (token verified, the object piped from the store)
# and, in the same run, two yardsticks: "bare", the bare Vert.x server of gateway-bench.sh answering the same bytes
# as a play, and "store", a presigned GET of the same segment straight from the S3-compatible store. Writes req/s,
# p50, p99, bytes/s and the ratios to bench/results/playback.txt (override with RESULTS=...).
#
#   mvn -q -B -DskipTests package && bench/playback-bench.sh
#
# Needs: PostgreSQL and Redis as for the tests, wrk, curl, python3, openssl, ffmpeg. DURATION (20s), CONNECTIONS
# (64), STREAM_CONNECTIONS (16), THREADS (1), VIEWERS (10000) tune the runs; JAVA_OPTS are the platform's options.
# Viewers' tokens are minted with a signing key the benchmark gives the auth service (bench/BenchTokens.java):
# logging 10,000 users in would measure password hashing. Their subscriptions are written straight into
# playback_db; everything measured goes through the gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
STREAM_CONNECTIONS=${STREAM_CONNECTIONS:-16}
THREADS=${THREADS:-1}
VIEWERS=${VIEWERS:-10000}
JAVA_OPTS=${JAVA_OPTS:--Xmx2g -XX:+UseParallelGC}
RESULTS=${RESULTS:-bench/results/playback.txt}
JAR=launcher/target/mediamesh.jar
[ -f "$JAR" ] || { echo "build first: mvn -q -B -DskipTests package"; exit 1; }
for tool in wrk openssl ffmpeg python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed"; exit 1; }
done

work=$(mktemp -d)
suffix=pbench$$
services=(cms metadata media processing playback ingest auth discovery search)
export MEDIAMESH_ADMIN_EMAIL=bench-admin@mediamesh.test
export MEDIAMESH_ADMIN_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEDIAMESH_HTTP_HOST=127.0.0.1
export MEDIAMESH_REDIS_CONNECTION_STRING=redis://127.0.0.1:6379/14
export MEDIAMESH_KAFKA_EMBEDDED_DATA_DIR=$work/kafka MEDIAMESH_S3_EMBEDDED_DATA_DIR=$work/s3
export MEDIAMESH_S3_ACCESS_KEY="bench$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEDIAMESH_S3_SECRET_KEY="$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEDIAMESH_AUTH_DEV_SECRETS_DIR=$work/secrets
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt > "$work/key.pem"
export MEDIAMESH_AUTH_SIGNING_KEY_PEM="$(cat "$work/key.pem")"
export MEDIAMESH_AUTH_SIGNING_KEY_ID=bench
for s in "${services[@]}"; do
  export "MEDIAMESH_SERVICES_${s^^}_DATABASE=${s}_db_${suffix}"
done
# rate limiting stays on, with room for one client address playing as 10,000 viewers
export MEDIAMESH_SERVICES_DISCOVERY_GATEWAY_RATE_LIMITS_READS_LIMIT=1000000000
export MEDIAMESH_SERVICES_DISCOVERY_GATEWAY_RATE_LIMITS_WRITES_LIMIT=1000000000
# one measured session fetches far more than a player would: the per-session /stream limit is lifted for the bench
export MEDIAMESH_SERVICES_DISCOVERY_GATEWAY_STREAM_REQUESTS_PER_MINUTE=1000000000
redis-cli -n 14 flushdb >/dev/null

java $JAVA_OPTS -jar "$JAR" > "$work/launcher.log" 2>&1 &
pid=$!
bare=
cleanup() {
  [ -n "$bare" ] && { kill "$bare" 2>/dev/null || true; }
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for s in "${services[@]}"; do
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${s}_db_${suffix} WITH (FORCE)" >/dev/null 2>&1 || true
  done
  redis-cli -n 14 flushdb >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 180); do
  curl -sf localhost:8080/ready >/dev/null 2>&1 && curl -sf localhost:8081/ready >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the platform exited"; tail -50 "$work/launcher.log"; exit 1; }
  sleep 1
done
curl -sf localhost:8080/ready >/dev/null || { echo "platform not ready"; tail -50 "$work/launcher.log"; exit 1; }

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token=$(curl -sf localhost:8081/api/v1/auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"$MEDIAMESH_ADMIN_EMAIL\",\"password\":\"$MEDIAMESH_ADMIN_PASSWORD\"}" | json "['accessToken']")
auth=(-H "Authorization: Bearer $token")
ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=25:duration=30 -f lavfi -i sine=frequency=440:duration=30 \
  -c:v libx264 -preset veryfast -g 50 -pix_fmt yuv420p -c:a aac -shortest "$work/clip.mp4"
program=$(curl -sf localhost:8081/api/v1/cms/programs "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"title":"Playback benchmark"}' | json "['id']")
media=$(curl -sf localhost:8081/api/v1/media/upload "${auth[@]}" -F contentId="$program" -F contentType=PROGRAM \
  -F "file=@$work/clip.mp4;type=video/mp4" | json "['id']")
curl -sf -X POST "localhost:8081/api/v1/cms/programs/$program/publish" "${auth[@]}" >/dev/null
for _ in $(seq 1 300); do
  state=$(curl -sf "localhost:8081/api/v1/media/$media" "${auth[@]}" | json "['playback']['status']")
  [ "$state" = READY ] && break
  sleep 1
done
[ "$state" = READY ] || { echo "the clip was not transcoded: $state"; exit 1; }
plan=$(curl -sf localhost:8081/api/v1/plans "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","price":999,"periodDays":30,"packages":["basic"],"maxStreams":20,"evictOldest":true}' | json "['id']")

java -cp "$JAR" bench/BenchTokens.java "$work/key.pem" bench mediamesh mediamesh-api "$VIEWERS" 7200 "$work/viewers.txt"
cut -d' ' -f1 "$work/viewers.txt" > "$work/ids.txt"
# a second token of each viewer, never used before the "cold" run: every request of it verifies a signature
java -cp "$JAR" bench/BenchTokens.java "$work/key.pem" bench mediamesh mediamesh-api "$VIEWERS" 7200 \
  "$work/viewers-cold.txt" "$work/ids.txt"
psql -h 127.0.0.1 -U postgres -d "playback_db_${suffix}" -q <<SQL
CREATE TEMP TABLE viewers (id TEXT);
\copy viewers FROM '$work/ids.txt'
INSERT INTO rights (id, account_id, kind, plan_id, granted_by, created_at, ends_at)
SELECT gen_random_uuid(), id, 'SUBSCRIPTION', '$plan', 'bench', now(), now() + interval '30 days' FROM viewers;
SQL
first=$(head -1 "$work/viewers.txt" | cut -d' ' -f2)
for _ in $(seq 1 100); do
  code=$(curl -s -o "$work/play.json" -w '%{http_code}' -X POST "localhost:8080/api/v1/play/program/$program" \
    -H "Authorization: Bearer $first")
  [ "$code" = 201 ] && break
  sleep 0.2
done
[ "$code" = 201 ] || { echo "a viewer cannot play: $code $(cat "$work/play.json")"; exit 1; }
manifest=$(json "['manifestUrl']" < "$work/play.json")
stream="http://127.0.0.1:8080${manifest%master.m3u8}v360/seg_00001.ts"
segment_bytes=$(curl -sf "$stream" | wc -c)
direct=$(java -cp "$JAR" bench/Presign.java http://127.0.0.1:9000 mediamesh-media "media/$media/hls/v360/seg_00001.ts" \
  "$MEDIAMESH_S3_ACCESS_KEY" "$MEDIAMESH_S3_SECRET_KEY")
[ "$(curl -sf "$direct" | wc -c)" = "$segment_bytes" ] || { echo "the store's presigned GET differs"; exit 1; }

cat > "$work/play.lua" <<'LUA'
local viewers, n, i = {}, 0, 0
function init(args)
  for line in io.lines(args[1]) do
    local id, token = line:match("(%S+) (%S+)")
    n = n + 1; viewers[n] = token
  end
  path = args[2]
end
function request()
  i = i % n + 1
  return wrk.format("POST", path, { ["Authorization"] = "Bearer " .. viewers[i] })
end
LUA
cat > "$work/beat.lua" <<'LUA'
local pairs_, n, i = {}, 0, 0
function init(args)
  for line in io.lines(args[1]) do
    local token, session = line:match("(%S+) (%S+)")
    n = n + 1; pairs_[n] = { token, "/api/v1/play/sessions/" .. session .. "/heartbeat" }
  end
end
function request()
  i = i % n + 1
  return wrk.format("POST", pairs_[i][2], { ["Authorization"] = "Bearer " .. pairs_[i][1],
    ["Content-Type"] = "application/json" }, '{"positionSeconds":' .. (i % 1800) .. '}')
end
LUA

run() { # name connections url [script [script args...]]
  local name=$1 conns=$2 url=$3 script=()
  shift 3
  if [ $# -gt 0 ]; then script=(-s "$1"); shift; fi
  wrk -t"$THREADS" -c"$conns" -d5s "${script[@]}" "$url" -- "$@" >/dev/null 2>&1 || true  # warm-up (JIT, caches)
  wrk -t"$THREADS" -c"$conns" -d"$DURATION" --latency "${script[@]}" "$url" -- "$@" > "$work/$name.txt" 2>&1 || true
  python3 - "$name" "$work/$name.txt" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
if "Requests/sec" not in text:
    sys.exit(f"{name}: wrk failed:\n{text}")
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s|m)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
def size(v):
    n, unit = re.match(r"([\d.]+)(B|KB|MB|GB)", v).groups()
    return float(n) * {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
bps = size(re.search(r"Transfer/sec:\s+(\S+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{name}: {rps:.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, {bps / 1024 ** 2:.1f} MiB/s, "
      f"non-2xx {non2xx.group(1) if non2xx else 0}")
open(path + ".vals", "w").write(f"{rps} {p99} {bps}")
PY
}
{
  echo "# playback benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$THREADS -d$DURATION on the same host"
  echo "# launcher jar ($JAVA_OPTS); $VIEWERS viewers with a subscription; plays and heartbeats at -c$CONNECTIONS,"
  echo "# segments ($segment_bytes bytes) at -c$STREAM_CONNECTIONS"
  python3 -c "import sys; sys.stdout.write(open('$work/play.json').read())" > "$work/answer.json"
  java -cp "$JAR" bench/BareServer.java 8099 "$work/answer.json" > "$work/bare.log" 2>&1 &
  bare=$!
  for _ in $(seq 1 100); do curl -sf localhost:8099/ >/dev/null 2>&1 && break; sleep 0.2; done
  run bare "$CONNECTIONS" "http://127.0.0.1:8099/"
  kill "$bare"; wait "$bare" 2>/dev/null || true; bare=
  # an app's token is verified at its first request (its signature, ~1 ms of a core) and then remembered: each
  # viewer's token is used once before the plays, so they measure playback; "plays-cold" measures first uses
  python3 - "$work/viewers.txt" "http://127.0.0.1:8080/api/v1/me/entitlements" <<'PY'
import sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
tokens = [line.split()[1] for line in open(sys.argv[1])]
def get(token):
    req = urllib.request.Request(sys.argv[2], headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status
with ThreadPoolExecutor(16) as pool:
    codes = list(pool.map(get, tokens))
assert all(c == 200 for c in codes), "a viewer's token was refused"
PY
  run plays "$CONNECTIONS" "http://127.0.0.1:8080/api/v1/play/program/$program" "$work/play.lua" \
    "$work/viewers.txt" "/api/v1/play/program/$program"
  run plays-cold "$CONNECTIONS" "http://127.0.0.1:8080/api/v1/play/program/$program" "$work/play.lua" \
    "$work/viewers-cold.txt" "/api/v1/play/program/$program"
  # sessions for the heartbeats, each with its own viewer's token, started just before (a session lasts two
  # heartbeat intervals without one)
  python3 - "$work/viewers.txt" "http://127.0.0.1:8080/api/v1/play/program/$program" "$work/sessions.txt" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
viewers = [line.split()[1] for line in open(sys.argv[1])][-2000:]
def play(token):
    req = urllib.request.Request(sys.argv[2], method="POST", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return token + " " + json.load(r)["sessionId"]
with ThreadPoolExecutor(16) as pool:
    lines = list(pool.map(play, viewers))
open(sys.argv[3], "w").write("\n".join(lines) + "\n")
PY
  echo "heartbeats go to $(wc -l < "$work/sessions.txt") sessions seeded just before"
  run heartbeats "$CONNECTIONS" "http://127.0.0.1:8080/" "$work/beat.lua" "$work/sessions.txt"
  run store "$STREAM_CONNECTIONS" "$direct"
  # the segments' session must be running (a session missing two heartbeats is gone, and so are its bytes):
  # a fresh play, kept alive by a heartbeat every 10 s while the stream is measured
  curl -sf -X POST "localhost:8080/api/v1/play/program/$program" -H "Authorization: Bearer $first" > "$work/play2.json"
  manifest=$(json "['manifestUrl']" < "$work/play2.json")
  session=$(json "['sessionId']" < "$work/play2.json")
  stream="http://127.0.0.1:8080${manifest%master.m3u8}v360/seg_00001.ts"
  (while sleep 10; do
     curl -s -o /dev/null -X POST "localhost:8080/api/v1/play/sessions/$session/heartbeat" \
       -H "Authorization: Bearer $first" -H 'Content-Type: application/json' -d '{"positionSeconds":6}'
   done) &
  beating=$!
  run stream "$STREAM_CONNECTIONS" "$stream"
  kill "$beating" 2>/dev/null || true
  python3 - "$work" <<'PY'
import os, sys
v = {n: [float(x) for x in open(os.path.join(sys.argv[1], n + ".txt.vals")).read().split()]
     for n in ("bare", "plays", "heartbeats", "store", "stream")}
rps, p99, bps = (lambda n: v[n][0]), (lambda n: v[n][1]), (lambda n: v[n][2])
rows = [
  ("plays req/s to bare", rps("plays") / rps("bare"), ">= 0.10"),
  ("heartbeats req/s to bare", rps("heartbeats") / rps("bare"), ">= 0.20"),
  ("plays p99 to bare p99", p99("plays") / p99("bare"), "<= 10"),
  ("heartbeats p99 to bare p99", p99("heartbeats") / p99("bare"), "<= 10"),
  ("stream bytes/s to store bytes/s", bps("stream") / bps("store"), ">= 0.80"),
]
for name, ratio, target in rows:
    ok = eval(f"{ratio} {target}")
    print(f"ratio {name}: {ratio:.2f} (target {target}: {'met' if ok else 'NOT met'})")
PY
  echo "targets (issue 17): plays >= 10 % and heartbeats >= 20 % of the bare server's req/s, each p99 <= 10x the bare"
  echo "server's; segment bytes through /stream >= 80 % of the direct store's throughput"
} | tee "$RESULTS"
