#!/usr/bin/env bash
# The main mtpjava job on bundled data, from a fresh clone:
#   1. build the jar (JDK 25 found automatically);
#   2. train a small MTP on bundled DFT data (examples/train-small), if the trainer is present;
#   3. check its errors and those of a published potential, with parity plots;
#   4. run a LAMMPS MD with it through pair_style mtpjava (builds/reuses a private LAMMPS with PLUGIN).
# Outputs go to out/demo/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MTPJAVA_ROOT"
OUT=out/demo
mkdir -p "$OUT"
SHARED="${MTPJAVA_SHARED:-$MTPJAVA_ROOT/../shared}"
[ -d "$SHARED/data" ] || SHARED=/work/shared
echo "== building mtpjava"
./scripts/mvn -q -B package -DskipTests
JAR=java/target/mtpjava.jar
if [ -x examples/train-small/run.sh ]; then
  echo "== training a small MTP (examples/train-small)"
  examples/train-small/run.sh "$OUT"
fi
echo "== errors of the published NbMoTaW level-14 MTP on its DFT test set (376 cfgs)"
java -jar "$JAR" check-errors "$SHARED/data/monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp" \
  "$SHARED/data/monbtaw_li2020_maml/mlip_cfg/NbMoTaW_test.cfg" --plot "$OUT/nbmotaw_parity.png" --report-to "$OUT/nbmotaw_errors.txt"
if [ -x examples/train-small/md.sh ]; then
  echo "== LAMMPS MD with the trained potential through pair_style mtpjava"
  examples/train-small/md.sh "$OUT"
elif [ -x examples/quartz/run.sh ]; then
  echo "== LAMMPS MD (quartz, SiO.mtp) through pair_style mtpjava"
  examples/quartz/run.sh
fi
echo "== done; outputs in $OUT"
