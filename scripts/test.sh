#!/usr/bin/env bash
# The whole mtpjava test suite, from a fresh clone: Java unit and reference tests (Maven, JDK 25 found
# automatically), then the LAMMPS tests (builds/reuses a private LAMMPS with PLUGIN, the C shim and the plugin).
# Exits non-zero on the first failing stage.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MTPJAVA_ROOT"
echo "== mtpjava tests: Java $(java -version 2>&1 | head -1)"
start=$(date +%s)
./scripts/mvn -q -B verify
echo "== Java tests passed ($(( $(date +%s) - start )) s); jar: java/target/mtpjava.jar"
if [ "${MTPJAVA_SKIP_LAMMPS:-0}" = 1 ]; then
  echo "== LAMMPS tests skipped (MTPJAVA_SKIP_LAMMPS=1)"
  exit 0
fi
if [ -x scripts/lammps-test.sh ]; then
  ./scripts/lammps-test.sh
  echo "== LAMMPS tests passed"
fi
# workflow-level suites that drive LAMMPS and the jar (each prints PASS/FAIL lines, non-zero exit on failure)
for suite in tests/*/run.sh; do
  [ -x "$suite" ] || continue
  echo "== $suite"
  "$suite"
  echo "== $suite passed"
done
echo "== all tests passed in $(( $(date +%s) - start )) s"
