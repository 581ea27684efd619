#!/usr/bin/env bash
# Search benchmark (issue 7): loads 100,000 published items through Kafka into the search service, then measures
# indexing throughput, publish -> searchable lag and search latency/throughput at 16 concurrent callers.
# Needs PostgreSQL and Redis like the tests; Kafka runs in-process. Results: bench/results/search.txt.
# Smaller runs: ITEMS=20000 bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install -pl verticles/search -am
mvn -B -pl verticles/search surefire:test -Dtest=SearchBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.items="${ITEMS:-100000}" -Dbench.out="$PWD/bench/results/search.txt"
cat bench/results/search.txt
