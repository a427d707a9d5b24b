#!/usr/bin/env bash
# Start the Neo4j test server by hand; the tests use graphdb/neo4j_testserver.py instead.
# Builds once (Maven), then prints NEO4J_BOLT_URI=bolt://127.0.0.1:PORT and serves until
# stdin closes or a line "stop" is read (Ctrl-D or Ctrl-C in a terminal).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cp_file="$here/target/classpath.txt"
mkdir -p "$here/target"
(
  flock 9
  if [ ! -f "$cp_file" ] || [ -n "$(find "$here/pom.xml" "$here/src" -newer "$cp_file" -print -quit)" ]; then
    echo "neo4j-testserver: building (first run downloads ~180 MB, 1-2 min)..." >&2
    (cd "$here" && mvn -q -B compile dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" -Dmdep.regenerateFile=true) >&2
  fi
) 9>"$here/target/.build.lock"
# The harness keeps its store, logs and a log4j file under java.io.tmpdir: use a private one.
tmp="$(mktemp -d -t pathways-neo4j-XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "-Djava.io.tmpdir=$tmp" \
  -cp "$here/target/classes:$(cat "$cp_file")" org.pathways.neo4jtestserver.TestServer
