#!/usr/bin/env bash
# Runs one benchmark scenario without the launcher: bench/bench.sh SCENARIO [options]
# (the same as ./roomcast bench SCENARIO [options]). Compiles the bench module and its
# dependencies with Maven when sources changed. See docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/bench/target/bench.classpath"
if [[ ! -f "$CP_FILE" || -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$CP_FILE" -print -quit)" ]]; then
  echo "bench: compiling ..." >&2
  (cd "$ROOT" && mvn -q -B -pl bench -am compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE") >&2
fi
cd "$ROOT"
exec java ${JAVA_OPTS:-} -cp "$ROOT/bench/target/classes:$(cat "$CP_FILE")" io.roomcast.bench.BenchCommand "$@"
