#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of the benchmarks module (single costs, e.g. ModelReading).
#   benchmarks/run-jmh.sh [JMH arguments, e.g. a benchmark name pattern]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -pl benchmarks -am -DskipTests
fi
CP="$(ls benchmarks/target/benchmarks-*.jar | head -1):benchmarks/target/lib/*"
exec java -cp "$CP" org.openjdk.jmh.Main "$@"
