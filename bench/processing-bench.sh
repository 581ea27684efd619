#!/usr/bin/env bash
# Processing benchmark: the HLS ladder and a frames job through the platform, each against the bare FFmpeg
# commands that do the same work, measured in the same run (the yardstick), reported as ratios.
#
#   mvn -q -B -DskipTests package && bench/processing-bench.sh
#
# Needs: PostgreSQL and Redis as for the tests, ffmpeg and ffprobe, curl, python3. Writes bench/results/processing.txt
# (override with RESULTS=...). SECONDS_OF_CLIP (60) sets the clip's length; LARGE=1 also sends a source of about
# 1 GB (SECONDS_OF_CLIP at 140 Mbit/s) through the processing JVM.
#
# - The platform runs as two JVMs on a loopback cluster: everything but processing in the launcher, and the
#   processing service alone from its fat jar with -Xmx256m, so every run also shows that processing works in that
#   heap (sources are streamed to disk, FFmpeg runs as its own process, the ZIP is written part by part).
# - The yardstick runs FFmpeg with exactly the arguments the service gives it (rung by rung, lowest first, then the
#   poster and the storyboard; for frames, the same fps filter), one process at a time as the service does, after the
#   clip was made and before the platform starts, so nothing else competes for the two cores.
# - The service's time runs from the first byte of the upload through the CMS gateway to the job's SUCCEEDED as
#   its Server-Sent Events say (upload, download from storage, probe, FFmpeg, uploads of every segment, playlists,
#   events); "first rung" is when the first rung was published (the asset playable).
set -euo pipefail
cd "$(dirname "$0")/.."
CLIP_SECONDS=${SECONDS_OF_CLIP:-60}
RESULTS=${RESULTS:-bench/results/processing.txt}
LAUNCHER=launcher/target/mediamesh.jar
PROCESSING=verticles/processing/target/processing-fat.jar
for jar in "$LAUNCHER" "$PROCESSING"; do
  [ -f "$jar" ] || { echo "build first: mvn -q -B -DskipTests package"; exit 1; }
done
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || { echo "ffmpeg is needed (apt-get install ffmpeg)"; exit 1; }

work=$(mktemp -d)
suffix=pbench$$
now() { date +%s.%N; }
elapsed() { python3 -c "print(round($2 - $1, 2))"; }
ratio() { python3 -c "print(round($1 / $2, 3))"; }

# ---- the clip: 1080p, 30 fps, a key frame every 2 s, 8 Mbit/s H.264 and AAC (too many bits to copy any rung)
clip=$work/clip.mp4
echo "making a ${CLIP_SECONDS} s 1080p clip"
ffmpeg -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$CLIP_SECONDS" \
  -f lavfi -i "sine=frequency=440:duration=$CLIP_SECONDS" -c:v libx264 -preset veryfast -b:v 8M -g 60 \
  -pix_fmt yuv420p -c:a aac -b:a 128k -shortest "$clip"

# ---- yardstick: the service's commands, bare
ladder() { # out_dir: the five rungs as TranscodeWork.args() builds them for this source, then poster and storyboard
  local out=$1 rung w h bits audio
  for rung in "240 426 400000 96000" "360 640 800000 96000" "480 852 1400000 128000" "720 1280 2800000 128000" \
    "1080 1920 5000000 128000"; do
    read -r h w bits audio <<< "$rung"
    mkdir -p "$out/v$h"
    ffmpeg -hide_banner -nostdin -y -loglevel error -i "$clip" -map 0:v:0 -map '0:a:0?' \
      -vf "scale=$w:$h,setsar=1" -r 30.000 -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p \
      -b:v "$bits" -maxrate "$bits" -bufsize $((bits * 2)) -g 60 -keyint_min 60 -sc_threshold 0 \
      -force_key_frames 'expr:gte(t,n_forced*2)' -c:a aac -b:a "$audio" -ac 2 -f hls -hls_time 6 \
      -hls_playlist_type vod -hls_flags independent_segments -hls_segment_type mpegts \
      -hls_segment_filename "$out/v$h/seg_%05d.ts" "$out/v$h/index.m3u8"
  done
  local at tiles interval cols rows
  at=$(python3 -c "print('%.3f' % min($CLIP_SECONDS / 10, 60))")
  interval=$(python3 -c "import math; print(max(2, math.ceil($CLIP_SECONDS / 100)))")
  tiles=$(python3 -c "import math; print(max(1, math.ceil($CLIP_SECONDS / $interval)))")
  cols=$(( tiles < 10 ? tiles : 10 )); rows=$(( (tiles + cols - 1) / cols ))
  ffmpeg -hide_banner -nostdin -y -loglevel error -ss "$at" -i "$clip" -map 0:v:0 -frames:v 1 \
    -vf "scale=-2:'min(720,ih)'" -q:v 3 "$out/poster.jpg"
  ffmpeg -hide_banner -nostdin -y -loglevel error -skip_frame nokey -i "$clip" -map 0:v:0 \
    -vf "fps=1/$interval,scale=160:90,tile=${cols}x$rows" -frames:v 1 -q:v 4 "$out/storyboard.jpg"
}
echo "yardstick: the ladder with bare ffmpeg"
t0=$(now); ladder "$work/bare-ladder"; t1=$(now)
bare_ladder=$(elapsed "$t0" "$t1")
echo "yardstick: frames at 1/s with bare ffmpeg"
mkdir -p "$work/bare-frames"
t0=$(now)
ffmpeg -hide_banner -nostdin -y -loglevel error -i "$clip" -map 0:v:0 -vf fps=1 -q:v 3 "$work/bare-frames/frame_%06d.jpg"
t1=$(now)
bare_frames=$(elapsed "$t0" "$t1")

large=
if [ "${LARGE:-0}" = 1 ]; then
  large=$work/large.mp4
  echo "making a source of about 1 GB"
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$CLIP_SECONDS" \
    -f lavfi -i "sine=frequency=220:duration=$CLIP_SECONDS" -c:v libx264 -preset ultrafast -b:v 140M \
    -minrate 140M -maxrate 140M -bufsize 140M -x264-params nal-hrd=cbr -g 60 -pix_fmt yuv420p -c:a aac \
    -shortest "$large"
fi

# ---- the platform: the launcher without processing, and processing in its own 256 MB JVM, on one cluster
export MEDIAMESH_ADMIN_EMAIL=bench-admin@mediamesh.test
export MEDIAMESH_ADMIN_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEDIAMESH_HTTP_HOST=127.0.0.1
export MEDIAMESH_REDIS_CONNECTION_STRING=redis://127.0.0.1:6379/13
export MEDIAMESH_KAFKA_EMBEDDED_DATA_DIR=$work/kafka MEDIAMESH_S3_EMBEDDED_DATA_DIR=$work/s3
export MEDIAMESH_S3_ACCESS_KEY="bench$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEDIAMESH_S3_SECRET_KEY="$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MEDIAMESH_CLUSTER_NAME=$suffix
export MEDIAMESH_SERVICES_MEDIA_MAX_VIDEO_BYTES=$((4 * 1024 * 1024 * 1024))
services="cms metadata media processing ingest auth discovery search"
for s in $services; do
  export "MEDIAMESH_SERVICES_${s^^}_DATABASE=${s}_db_${suffix}"
done
redis-cli -n 13 flushdb >/dev/null
java -Xmx2g -jar "$LAUNCHER" --cluster \
  --services=discovery-gateway,cms-gateway,auth,cms,metadata,media,ingest,search,discovery > "$work/launcher.log" 2>&1 &
pid=$!
ppid_=
cleanup() {
  [ -n "$ppid_" ] && { kill "$ppid_" 2>/dev/null || true; wait "$ppid_" 2>/dev/null || true; }
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for s in $services; do
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${s}_db_${suffix}" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  grep -q "platform started" "$work/launcher.log" 2>/dev/null && break
  sleep 1
done
MEDIAMESH_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 MEDIAMESH_S3_ENDPOINT=http://127.0.0.1:9000 \
  MEDIAMESH_SERVICES_PROCESSING_WORK_DIR=$work/processing \
  java -Xmx256m -jar "$PROCESSING" > "$work/processing.log" 2>&1 &
ppid_=$!
for _ in $(seq 1 120); do
  curl -sf localhost:8081/ready >/dev/null 2>&1 && break
  sleep 1
done
curl -sf localhost:8081/ready >/dev/null || { echo "platform not ready"; tail -n 30 "$work/launcher.log" "$work/processing.log"; exit 1; }

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token=$(curl -sf localhost:8081/api/v1/auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"$MEDIAMESH_ADMIN_EMAIL\",\"password\":\"$MEDIAMESH_ADMIN_PASSWORD\"}" | json "['accessToken']")
program=$(curl -sf localhost:8081/api/v1/cms/programs -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"title":"Processing benchmark"}' | json "['id']")

# follows a job's Server-Sent Events until it has finished; prints "<first rung published> <finished> <status>"
# as seconds since the epoch
follow() {
  python3 - "$1" "$token" <<'PY'
import json, sys, time, urllib.request
job, token = sys.argv[1], sys.argv[2]
req = urllib.request.Request(f"http://127.0.0.1:8081/api/v1/processing/jobs/{job}/events",
                             headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"})
first = None
status = "?"
with urllib.request.urlopen(req, timeout=3600) as stream:
    for raw in stream:
        line = raw.decode().strip()
        if not line.startswith("data: "):
            continue
        j = json.loads(line[6:])
        status = j["status"]
        if first is None and (j.get("output") or {}).get("renditions"):
            first = time.time()
        if status in ("SUCCEEDED", "FAILED", "CANCELED"):
            print(first or time.time(), time.time(), status)
            break
PY
}

transcode() { # file -> "<seconds to first rung> <seconds to READY> <status>"
  local file=$1 t0 media job out
  t0=$(now)
  media=$(curl -sf localhost:8081/api/v1/media/upload -H "Authorization: Bearer $token" \
    -F contentId="$program" -F contentType=PROGRAM -F "file=@$file;type=video/mp4" | json "['id']")
  for _ in $(seq 1 600); do
    job=$(curl -sf "localhost:8081/api/v1/processing/jobs?type=TRANSCODE&mediaId=$media" \
      -H "Authorization: Bearer $token" | python3 -c "import sys,json; i=json.load(sys.stdin)['items']; print(i[0]['id'] if i else '')")
    [ -n "$job" ] && break
    sleep 0.1
  done
  out=$(follow "$job")
  read -r first done status <<< "$out"
  echo "$(elapsed "$t0" "$first") $(elapsed "$t0" "$done") $status $media"
}

echo "service: the ladder through the CMS gateway"
read -r svc_first svc_ladder svc_status media <<< "$(transcode "$clip")"
[ "$svc_status" = SUCCEEDED ] || { echo "transcode $svc_status"; tail -n 30 "$work/processing.log"; exit 1; }

echo "service: frames at 1/s"
t0=$(now)
job=$(curl -sf localhost:8081/api/v1/processing/frames -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "{\"mediaId\":\"$media\",\"everySeconds\":1}" | json "['id']")
read -r _ done status <<< "$(follow "$job")"
svc_frames=$(elapsed "$t0" "$done")
[ "$status" = SUCCEEDED ] || { echo "frames $status"; tail -n 30 "$work/processing.log"; exit 1; }

large_line="large source: not run (LARGE=1 runs it)"
if [ -n "$large" ]; then
  echo "service: the ladder of a $(du -m "$large" | cut -f1) MB source in the 256 MB processing JVM"
  read -r _ large_time large_status _ <<< "$(transcode "$large")"
  oom=$(grep -c OutOfMemoryError "$work/processing.log" || true)
  large_line="large source: $(du -m "$large" | cut -f1) MB through processing at -Xmx256m: $large_status in ${large_time} s, OutOfMemoryError lines: $oom, processing JVM alive: $(kill -0 "$ppid_" 2>/dev/null && echo yes || echo no)"
fi

{
  echo "# processing benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
  echo "clip: ${CLIP_SECONDS} s 1920x1080 30 fps 8 Mbit/s H.264 + AAC; ladder 240/360/480/720/1080 + poster + storyboard"
  echo "yardstick ladder (bare ffmpeg, same arguments): ${bare_ladder} s"
  echo "service ladder (upload through the gateway to SUCCEEDED): ${svc_ladder} s  ratio $(ratio "$svc_ladder" "$bare_ladder") (target <= 1.15)"
  echo "service first rung playable: ${svc_first} s after the upload began ($(ratio "$svc_first" "$svc_ladder") of the whole)"
  echo "yardstick frames at 1/s: ${bare_frames} s"
  echo "service frames at 1/s (request to SUCCEEDED, ZIP in storage): ${svc_frames} s  ratio $(ratio "$svc_frames" "$bare_frames") (target <= 1.15)"
  echo "$large_line"
} | tee "$RESULTS"
