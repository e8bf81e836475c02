#!/usr/bin/env bash
# Runs the keyfailover benchmark (issue 5): builds the benchmarks module with its reactor
# dependencies (no install, no tests), then starts the fake upstream, each candidate and the load
# generator in JVMs of their own on 127.0.0.1 and writes benchmarks/RESULTS.md.
#
#   benchmarks/run.sh            full run (about 8 to 10 minutes on 2 cores)
#   benchmarks/run.sh --quick    smoke run with short durations (about 5 minutes)
#   options passed on: --scenarios=1,2,3,4,5  --out=FILE  --jfr  --java17=PATH  --java25=PATH
#
# Environment: JAVA17_HOME (default: the JDK Maven uses), JAVA25_HOME (default
# /usr/lib/jvm/temurin-25-jdk-amd64, for scenario 5's virtual threads), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -pl benchmarks -am -DskipTests
fi

JAVA17_HOME="${JAVA17_HOME:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
JAVA25_HOME="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$JAVA25_HOME/bin/java" ]]; then
  echo "run.sh: no Java 25 at $JAVA25_HOME (set JAVA25_HOME); scenario 5's virtual-thread runs need it" >&2
  exit 1
fi

CP="$(ls benchmarks/target/benchmarks-*.jar | head -1):benchmarks/target/lib/*"
exec "$JAVA17_HOME/bin/java" -Xmx256m -cp "$CP" dev.keyfailover.bench.Bench \
  --java17="$JAVA17_HOME/bin/java" --java25="$JAVA25_HOME/bin/java" "$@"
