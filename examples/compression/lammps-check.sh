#!/usr/bin/env bash
# pair_style mtpjava with compressed potentials: the published NbMoTaW MTP compressed by MF (rank 5) and TF (ranks
# 4,5,6), each evaluated by LAMMPS from the compressed file and from its 'mtpjava expand' output on a 128-atom
# triclinic Mo-Nb-Ta cell; energy, virial, forces and per-atom values must be identical (the evaluator materialises
# the factors once per load). Prints PASS/FAIL lines; exit code 0 if all pass.
#   examples/compression/lammps-check.sh [WORKDIR]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
"$ROOT/scripts/lammps-build.sh" >/dev/null || { echo "FAIL build: scripts/lammps-build.sh"; exit 1; }
source "$ROOT/build/lammps/env.sh"
W="${1:-$ROOT/build/examples/compression/lammps}"
mkdir -p "$W" && cd "$W" || exit 1
JAR="${MTPJAVA_JAR:-$ROOT/java/target/mtpjava.jar}"
[ -f "$JAR" ] || "$ROOT/scripts/mvn" -q package -DskipTests
export MTPJAVA_CLASSPATH="$JAR"
DATA="$ROOT/../shared/data"; [ -d "$DATA" ] || DATA=/work/shared/data
PUB="$DATA/monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"
T="$ROOT/tests/lammps"
fails=0
java -jar "$JAR" compress "$PUB" --method mf --rank 5 --save-to mf5.mtp >/dev/null
java -jar "$JAR" compress "$PUB" --method tf --rank 4,5,6 --save-to tf456.mtp >/dev/null
java -jar "$JAR" expand mf5.mtp mf5_expanded.mtp 2>/dev/null
java -jar "$JAR" expand tf456.mtp tf456_expanded.mtp 2>/dev/null
"$MTPJAVA_LMP" -log make.log -in "$T/in.make-alloy" -var n 4 -var out alloy128.data >make.out 2>&1
for n in mf5 mf5_expanded tf456 tf456_expanded; do
  "$MTPJAVA_LMP" -log "$n.log" -in "$T/in.static" -var plugin "$MTPJAVA_PLUGIN" -var data alloy128.data \
    -var style "mtpjava species Nb Mo Ta W" -var coeff "* * $n.mtp Mo Nb Ta" -var dump "$n.dump" -var res "$n.res" >"$n.out" 2>&1 \
    || { echo "FAIL $n: LAMMPS exited with an error (see $W/$n.out)"; fails=$((fails + 1)); }
done
for n in mf5 tf456; do
  if cmp -s "$n.res" "${n}_expanded.res" && cmp -s "$n.dump" "${n}_expanded.dump"; then
    echo "PASS $n: compressed and expanded potential give identical LAMMPS energy, virial and per-atom output ($(grep energy "$n.res"))"
  else
    echo "FAIL $n: compressed and expanded LAMMPS output differ"; fails=$((fails + 1))
  fi
done
exit $fails
