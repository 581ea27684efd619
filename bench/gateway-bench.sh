#!/usr/bin/env bash
# Discovery gateway benchmark: starts the co-located platform (launcher jar), seeds published programs through the
# CMS gateway, warms up, then runs wrk against a cached program detail (anonymous, rate limiting on) and against
# search. Writes req/s, p50 and p99 to bench/gateway-results.txt (override with RESULTS=...).
#
#   mvn -q -B -DskipTests package && bench/gateway-bench.sh
#
# Needs: PostgreSQL and Redis as for the tests, wrk, curl, python3. DURATION (default 20s), CONNECTIONS (64),
# THREADS (1) tune the runs; RUNS picks them ("nginx bare detail search"); JAVA_OPTS are the platform's JVM
# options.
#
# - Two yardsticks, run in the same run as the gateway so each figure reads as a ratio on this machine:
#   "nginx" is nginx (Debian's nginx-light, one worker, access log off) serving the same bytes from a file;
#   "bare" is a bare Vert.x server (bench/BareServer.java) answering the same bytes from memory. Both under the
#   same wrk settings: this machine's ceiling for a static answer, outside and inside the JVM.
# - THREADS=1: wrk on one core leaves the other to the server. With -t2 on two cores, wrk's threads and the
#   server's event loop contend for the CPU, and even the bare server's p99 is about 3.6 ms.
# - JAVA_OPTS default to a 2 GiB heap with the parallel collector: every service of the platform lives in this
#   JVM (a live set of about 190 MB), and at 70k req/s G1 with 1 GiB paused 3-4 ms every 0.3 s plus 10 ms remarks,
#   which alone sets the p99; the parallel collector's young pauses are 2-3 ms, every 1.5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
RUNS=${RUNS:-nginx bare detail search}
JAVA_OPTS=${JAVA_OPTS:--Xmx2g -XX:+UseParallelGC}
RESULTS=${RESULTS:-bench/gateway-results.txt}
JAR=launcher/target/mediamesh.jar
[ -f "$JAR" ] || { echo "build first: mvn -q -B -DskipTests package"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [[ " $RUNS " == *" nginx "* ]] && [ ! -x "$NGINX" ]; then
  echo "nginx is needed for the nginx yardstick (apt-get install nginx-light), or leave it out: RUNS='bare detail search'"
  exit 1
fi

work=$(mktemp -d)
suffix=bench$$
export MEDIAMESH_ADMIN_EMAIL=bench-admin@mediamesh.test
export MEDIAMESH_ADMIN_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEDIAMESH_HTTP_HOST=127.0.0.1
export MEDIAMESH_REDIS_CONNECTION_STRING=redis://127.0.0.1:6379/14
export MEDIAMESH_KAFKA_EMBEDDED_DATA_DIR=$work/kafka MEDIAMESH_S3_EMBEDDED_DATA_DIR=$work/s3
for s in cms metadata media ingest auth discovery search; do
  export "MEDIAMESH_SERVICES_${s^^}_DATABASE=${s}_db_${suffix}"
done
# rate limiting stays on: one client address may read this much (the check is local, leased from Redis)
export MEDIAMESH_SERVICES_DISCOVERY_GATEWAY_RATE_LIMITS_READS_LIMIT=${READS_LIMIT:-1000000000}
export MEDIAMESH_SERVICES_DISCOVERY_GATEWAY_RATE_LIMITS_SEARCH_LIMIT=${SEARCH_LIMIT:-1000000000}
redis-cli -n 14 flushdb >/dev/null

java $JAVA_OPTS -jar "$JAR" > "$work/launcher.log" 2>&1 &
pid=$!
nginx_pid=
cleanup() {
  [ -n "$nginx_pid" ] && { kill "$nginx_pid" 2>/dev/null || true; }
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for s in cms metadata media ingest auth discovery search; do
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${s}_db_${suffix}" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf localhost:8080/ready >/dev/null 2>&1 && curl -sf localhost:8081/ready >/dev/null 2>&1 && break
  sleep 1
done
curl -sf localhost:8080/ready >/dev/null || { echo "platform not ready"; tail -50 "$work/launcher.log"; exit 1; }

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token=$(curl -sf localhost:8081/api/v1/auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"$MEDIAMESH_ADMIN_EMAIL\",\"password\":\"$MEDIAMESH_ADMIN_PASSWORD\"}" | json "['accessToken']")
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
ids=()
for i in $(seq 1 20); do
  id=$(curl -sf localhost:8081/api/v1/cms/programs "${auth[@]}" \
    -d "{\"title\":\"Benchmark program $i\",\"description\":\"A published program for the benchmark, number $i, with a description of ordinary length so the answer is about six hundred bytes.\"}" | json "['id']")
  curl -sf localhost:8081/api/v1/metadata "${auth[@]}" -d "{\"contentId\":\"$id\",\"contentType\":\"PROGRAM\",\"title\":\"Benchmark program $i\",\"category\":\"DOCUMENTARY\",\"language\":\"en\",\"tags\":[\"bench\",\"wind\"]}" >/dev/null
  curl -sf -X POST localhost:8081/api/v1/cms/programs/$id/publish "${auth[@]}" >/dev/null
  ids+=("$id")
done
detail="http://127.0.0.1:8080/api/v1/discovery/programs/${ids[0]}"
for _ in $(seq 1 50); do curl -sf "$detail" >/dev/null && break; sleep 0.2; done
curl -s "$detail" > "$work/detail.json"
bytes=$(wc -c < "$work/detail.json")
for _ in $(seq 1 50); do
  [ "$(curl -s 'http://127.0.0.1:8080/api/v1/discovery/search?q=benchmark' | json "['total']")" -ge 20 ] && break; sleep 0.2
done

run() { # name url
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$2" >/dev/null 2>&1   # warm-up (JIT, caches)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2" > "$work/$1.txt" 2>&1
  python3 - "$1" "$work/$1.txt" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
if "Requests/sec" not in text:
    sys.exit(f"{name}: wrk failed:\n{text}")
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)", v)
    if not m:
        sys.exit(f"{name}: unreadable latency {v!r} in:\n{text}")
    n, unit = m.groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{name}: {rps:.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, non-2xx {non2xx.group(1) if non2xx else 0}")
open(path + ".rps", "w").write(f"{rps:.0f}")
PY
}
{
  echo "# discovery gateway benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION on the same host"
  echo "# launcher jar (every service in one JVM, $JAVA_OPTS); anonymous GETs, rate limiting on (leased), answer $bytes bytes"
  if [[ " $RUNS " == *" nginx "* ]]; then
    mkdir -p "$work/nginx/www" "$work/nginx/logs"
    cp "$work/detail.json" "$work/nginx/www/detail.json"
    chmod -R a+rX "$work"   # the worker may run as nobody
    cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:8098;
    root $work/nginx/www;
    location / { default_type application/json; try_files /detail.json =404; }
  }
}
EOF
    "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" > "$work/nginx/logs/stdout.log" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 1 100); do curl -sf localhost:8098/ >/dev/null 2>&1 && break; sleep 0.2; done
    run nginx "http://127.0.0.1:8098/"
    kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=
  fi
  if [[ " $RUNS " == *" bare "* ]]; then
    java -cp "$JAR" bench/BareServer.java 8099 "$work/detail.json" > "$work/bare.log" 2>&1 &
    bare=$!
    for _ in $(seq 1 100); do curl -sf localhost:8099/ >/dev/null 2>&1 && break; sleep 0.2; done
    run bare "http://127.0.0.1:8099/"
    kill "$bare"; wait "$bare" 2>/dev/null || true
  fi
  if [[ " $RUNS " == *" detail "* ]]; then run detail "$detail"; fi
  if [[ " $RUNS " == *" search "* ]]; then run search "http://127.0.0.1:8080/api/v1/discovery/search?q=benchmark"; fi
  python3 - "$work" <<'PY'
import os, sys
rps = {n: float(open(os.path.join(sys.argv[1], n + ".txt.rps")).read())
       for n in ("nginx", "bare", "detail", "search") if os.path.exists(os.path.join(sys.argv[1], n + ".txt.rps"))}
ratios = [f"{n}/{y} {rps[n] / rps[y]:.2f}" for n in ("detail", "search") for y in ("nginx", "bare") if n in rps and y in rps]
if ratios:
    print("ratios (req/s to the yardstick in this run): " + ", ".join(ratios))
PY
  echo "target (issue 8): cached detail >= 50000 req/s with p99 <= 3 ms at 64 connections (half the bare ceiling)"
} | tee "$RESULTS"
