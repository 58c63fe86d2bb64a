#!/usr/bin/env bash
# The one-command active-learning loop on a small demo (issue 6 item 5):
#   examples/active-learning/run.sh [WORKDIR]        (default build/examples/active-learning)
# LAMMPS MD (54-atom random bcc Mo-Nb-Ta at 600 K and 1200 K) with pair_style mtpjava extrapolation, extrapolative
# configurations -> select-add -> labelled by an oracle (the published NbMoTaW MTP standing in for DFT) -> retrain ->
# repeat until an MD round saves no configuration above select. Rerunning resumes an interrupted loop.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/env.sh"
"$root/scripts/lammps-build.sh" >/dev/null
source "$root/build/lammps/env.sh"
shared="${MTPJAVA_SHARED:-$root/../shared}"
[ -d "$shared/data" ] || shared=/work/shared
export AL_JAR="${MTPJAVA_AL_JAR:-$root/java/target/mtpjava.jar}"
[ -f "$AL_JAR" ] || "$root/scripts/mvn" -q -B package -DskipTests
export AL_WORK=$(mkdir -p "${1:-$root/build/examples/active-learning}" && cd "${1:-$root/build/examples/active-learning}" && pwd)
export AL_ORACLE="$shared/data/monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"
export AL_START="$shared/data/reference/mlip3_training/trained10_MoNbTa_nbh.almtp"
export AL_TRAIN="$AL_WORK/initial-train.cfg"
if [ ! -f "$AL_TRAIN" ]; then
  echo "active-learning demo: labelling the 40 start configurations with the oracle"
  java -jar "$AL_JAR" calculate-efs "$AL_ORACLE" "$shared/data/reference/inputs/train_MoNbTa_40.cfg" "$AL_TRAIN.part" --lossless
  mv "$AL_TRAIN.part" "$AL_TRAIN"
fi
java -jar "$AL_JAR" active-learn --config "$here/al.toml"
