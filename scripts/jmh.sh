#!/usr/bin/env bash
# JMH benchmarks of the kernel (java/src/test/java/org/mtpjava/bench). Extra arguments go to JMH,
# e.g.  scripts/jmh.sh -p potential=NbMoTaW2021 -p threads=1,2
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MTPJAVA_ROOT"
./scripts/mvn -q -B test-compile
cp_file=java/target/jmh.classpath
mvn -q -B -f java/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
CP="java/target/test-classes:java/target/classes:$(cat "$cp_file")"
exec java -Dmtpjava.shared="${MTPJAVA_SHARED:-$MTPJAVA_ROOT/../shared}" -cp "$CP" org.openjdk.jmh.Main EfsBenchmark "$@"
