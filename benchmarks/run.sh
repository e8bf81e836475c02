#!/usr/bin/env bash
# Runs the keyfailover benchmark (issue 5): builds the benchmarks module with its reactor
# dependencies (no install, no tests), then starts the fake upstream, each candidate and the load
# generator in JVMs of their own on 127.0.0.1 (Portkey's gateway in a Node process) and writes benchmarks/RESULTS.md.
#
#   benchmarks/run.sh            full run (about 16 to 19 minutes on 2 cores)
#   benchmarks/run.sh --quick    smoke run with short durations (about 6 minutes)
#   options passed on: --scenarios=1,2,3,4,5,7,9,10  --out=FILE  --jfr  --async-profiler=cpu  --virtual-threads  --java17=PATH  --java25=PATH
#   benchmarks/run.sh --virtual-threads --scenarios=11 [--rounds=N]: scenario 11 (only when named), N interleaved
#     rounds of scenario 1's c = 16 / 64 and scenario 2's SSE cells in candidates started once (default 5, --quick 2);
#     with --sse-only the SSE cells only (their events pooled over the rounds against MITRE's, benchmarks/README.md)
#   BEFORE=<commit> benchmarks/run.sh ...: scenarios 1 and 2 also run KeyFailoverServlet built from that commit
#
# Environment: JAVA17_HOME (default: the JDK Maven uses), JAVA25_HOME (default
# /usr/lib/jvm/temurin-25-jdk-amd64, for scenario 5's virtual threads), SKIP_BUILD=1, BEFORE=<commit>.
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

# Scenario 7 holds 10,000 streams: the candidate needs a descriptor for each client and each upstream connection
# (20,000 and more), the upstream and the load generator 10,000 each. Raise the limit where allowed.
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 65536 ]]; then
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 30000 ]]; then
  echo "run.sh: open-file limit $(ulimit -n); scenario 7 (10,000 streams) needs about 30,000" >&2
fi

# Portkey's AI gateway (issue 22), a candidate of scenarios 1 to 3 and 10: the pinned npm package, installed into
# benchmarks/target/portkey when missing (never globally). Without node or npm, or if the install fails, the run goes
# on and Portkey's rows stay empty (the orchestrator says why).
PORTKEY_VERSION=1.15.2
PORTKEY_DIR=benchmarks/target/portkey
PORTKEY_SERVER="$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
PORTKEY_PACKAGE="$PORTKEY_DIR/node_modules/@portkey-ai/gateway/package.json"
if ! grep -qs "\"version\": \"$PORTKEY_VERSION\"" "$PORTKEY_PACKAGE" || [[ ! -f "$PORTKEY_SERVER" ]]; then
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "run.sh: no node or npm on the PATH: Portkey's gateway is skipped (its rows stay empty)" >&2
  else
    echo "run.sh: installing @portkey-ai/gateway@$PORTKEY_VERSION into $PORTKEY_DIR" >&2
    mkdir -p "$PORTKEY_DIR"
    if ! npm install --prefix "$PORTKEY_DIR" --no-audit --no-fund --loglevel=error \
        "@portkey-ai/gateway@$PORTKEY_VERSION" >&2; then
      echo "run.sh: npm install of @portkey-ai/gateway@$PORTKEY_VERSION failed: Portkey's gateway is skipped" >&2
      rm -rf "$PORTKEY_DIR/node_modules/@portkey-ai/gateway"
    fi
  fi
fi

CP="$(ls benchmarks/target/benchmarks-*.jar | head -1):benchmarks/target/lib/*"

# BEFORE=<commit>: filter-impl's main classes as of that commit, compiled into benchmarks/target/before/<commit>, run in
# front of the classpath as the "(before)" KeyFailoverServlet rows of scenarios 1 and 2: before and after in one run.
BEFORE_ARGS=()
if [[ -n "${BEFORE:-}" ]]; then
  BEFORE_SHA="$(git rev-parse --short "$BEFORE")"
  BEFORE_DIR="benchmarks/target/before/$BEFORE_SHA"
  if [[ ! -d "$BEFORE_DIR/classes" ]]; then
    rm -rf "$BEFORE_DIR" && mkdir -p "$BEFORE_DIR/src" "$BEFORE_DIR/classes"
    git archive "$BEFORE_SHA" filter-impl/src/main | tar -x -C "$BEFORE_DIR/src"
    find "$BEFORE_DIR/src" -name '*.java' > "$BEFORE_DIR/sources.txt"
    "$JAVA17_HOME/bin/javac" -nowarn --release 17 -d "$BEFORE_DIR/classes" -cp "benchmarks/target/lib/*" \
      @"$BEFORE_DIR/sources.txt" >&2
  fi
  BEFORE_ARGS=(--before="$BEFORE_DIR/classes" --before-label="$BEFORE_SHA")
fi

exec "$JAVA17_HOME/bin/java" -Xmx256m -cp "$CP" dev.keyfailover.bench.Bench \
  --java17="$JAVA17_HOME/bin/java" --java25="$JAVA25_HOME/bin/java" "${BEFORE_ARGS[@]}" "$@"
