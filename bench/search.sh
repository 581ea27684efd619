#!/usr/bin/env bash
# Search benchmark (issue 7): loads 100,000 published items through Kafka into the search service, then measures
# indexing throughput, publish -> searchable lag and search latency/throughput at 16 concurrent callers.
# ENGINE=postgres measures the PostgreSQL engine instead of the in-memory copy (results: search-postgres.txt).
# Needs PostgreSQL and Redis like the tests; Kafka runs in-process. Results: bench/results/search.txt.
# Smaller runs: ITEMS=20000 bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE="${ENGINE:-lucene}"
OUT="$PWD/bench/results/search.txt"
[ "$ENGINE" = lucene ] || OUT="$PWD/bench/results/search-$ENGINE.txt"
mvn -q -B -DskipTests install -pl verticles/search -am
mvn -B -pl verticles/search surefire:test -Dtest=SearchBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.items="${ITEMS:-100000}" -Dbench.engine="$ENGINE" -Dbench.out="$OUT"
cat "$OUT"
