#!/usr/bin/env bash
# Trains a small MTP (level 10, Nb/Mo/Ta, 235 parameters) on bundled DFT data: 300 Mo-Nb-Ta configurations
# (6378 atoms) from the NbMoTaW training set of Li et al. 2020, validated on 30 other configurations.
# About 2 minutes on 2 cores. One line:
#   examples/train-small/run.sh [OUTDIR]        (default build/examples/train-small)
# Writes OUTDIR/MoNbTa_L10.almtp (with an active set), its error tables and PNG plots; md.sh runs LAMMPS with it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/env.sh"
out=$(mkdir -p "${1:-$root/build/examples/train-small}" && cd "${1:-$root/build/examples/train-small}" && pwd)
shared="${MTPJAVA_SHARED:-$root/../shared}"
[ -d "$shared/data" ] || shared=/work/shared
jar="${MTPJAVA_TRAIN_JAR:-$root/java/target/mtpjava.jar}"
[ -f "$jar" ] || "$root/scripts/mvn" -q -B package -DskipTests
ref="$shared/data/reference"
java -jar "$jar" train "$ref/mlip3_training/template10_3sp.almtp" "$ref/inputs/train_MoNbTa_300.cfg" \
  --valid "$ref/inputs/candidates_MoNbTa_30.cfg" --valid-every 5 --iteration-limit 200 \
  --save-to "$out/MoNbTa_L10.almtp" --threads "$(nproc)" | tee "$out/train.log" | grep -E ' iter +[0-9]*[05]0/|^training done|^potential written|^reports'
sed -n '/^quantity/,/^$/p' "$out/MoNbTa_L10.errors.txt"
echo "train-small: potential $out/MoNbTa_L10.almtp (species 0 = Nb, 1 = Mo, 2 = Ta)"
