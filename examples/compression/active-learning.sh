#!/usr/bin/env bash
# Active learning of compressed MTPs (issue 10 item 6): the one-command loop of examples/active-learning (LAMMPS MD
# of 54-atom random bcc Mo-Nb-Ta at 600 K and 1200 K with pair_style mtpjava extrapolation, select-add, oracle =
# the published NbMoTaW MTP standing in for DFT, retraining 60 BFGS iterations per round) run from the same start
# set (40 configurations), candidate MD and oracle for
#   base  the level-10 Mo-Nb-Ta MTP (216 radial parameters),
#   mf3   its MF rank-3 compression (99 radial parameters, 46 %),
#   tf343 its TF compression, ranks (3,4,3) in order ti,tj,mu,beta (105 radial parameters, 49 %).
# Each start potential is first trained 60 BFGS iterations on the 40 oracle-labelled start configurations (the
# compressed ones from the truncated SVD / TT-SVD of the level-10 MTP). Final potentials are tested against the
# oracle on the Mo/Nb/Ta configurations of the NbMoTaW test set.
#   examples/compression/active-learning.sh [OUTDIR]     (resumable; env MTPJAVA_JAR, MODELS)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
"$ROOT/scripts/lammps-build.sh" >/dev/null
source "$ROOT/build/lammps/env.sh"
SHARED="${MTPJAVA_SHARED:-$ROOT/../shared}"; [ -d "$SHARED/data" ] || SHARED=/work/shared
OUT="${1:-$HERE/out-al}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [ -z "${MTPJAVA_JAR:-}" ]; then
  "$ROOT/scripts/mvn" -q package -DskipTests -Dmtpjava.buildDir="$OUT/build" >/dev/null
  MTPJAVA_JAR="$OUT/build/mtpjava.jar"
fi
[ -s "$OUT/mtpjava.jar" ] || cp "$MTPJAVA_JAR" "$OUT/mtpjava.jar"
export AL_JAR="$OUT/mtpjava.jar" MTPJAVA_CLASSPATH="$OUT/mtpjava.jar"
export AL_ORACLE="$SHARED/data/monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"
START="$SHARED/data/reference/mlip3_training/trained10_MoNbTa_nbh.almtp"
J=(java -Xmx2g -jar "$AL_JAR")
cd "$OUT"
# the start set and the test set, labelled by the oracle
[ -s initial-train.cfg ] || "${J[@]}" calculate-efs "$AL_ORACLE" "$SHARED/data/reference/inputs/train_MoNbTa_40.cfg" initial-train.cfg --lossless >/dev/null
if [ ! -s al-test.cfg ]; then
  awk '/^BEGIN_CFG/{buf=""; w=0; inatoms=0} {buf=buf $0 "\n"} /AtomData/{inatoms=1; next} /^ *(Energy|Supercell|PlusStress|Feature|END_CFG)/{inatoms=0}
       inatoms && $2 == 3 {w=1} /^END_CFG/{if (!w) printf "%s\n", buf}' "$SHARED/data/monbtaw_li2020_maml/mlip_cfg/NbMoTaW_test.cfg" > al-test-dft.cfg
  "${J[@]}" calculate-efs "$AL_ORACLE" al-test-dft.cfg al-test.cfg --lossless >/dev/null
fi
declare -A COMPRESS=([base]="" [mf3]="--method mf --rank 3" [tf343]="--method tf --rank 3,4,3")
MODELS="${MODELS:-base mf3 tf343}"
for m in $MODELS; do
  if [ ! -s "start_$m.almtp" ]; then
    src="$START"
    if [ -n "${COMPRESS[$m]}" ]; then
      "${J[@]}" compress "$START" ${COMPRESS[$m]} --save-to "compressed_$m.mtp" > "compress_$m.log"
      src="compressed_$m.mtp"
    fi
    "${J[@]}" train "$src" initial-train.cfg --save-to "start_$m.almtp" --iteration-limit 60 --al-mode nbh --threads 2 \
      --checkpoint-every 0 --no-plots > "start_$m.log" 2>&1
  fi
  if [ ! -s "loop-$m/done" ]; then
    echo "active learning: $m ($(date))"
    AL_START="$OUT/start_$m.almtp" AL_TRAIN="$OUT/initial-train.cfg" AL_WORK="$OUT/loop-$m" \
      "${J[@]}" active-learn --config "$ROOT/examples/active-learning/al.toml" > "loop-$m.log" 2>&1 || { echo "$m: loop failed, see $OUT/loop-$m.log"; exit 1; }
    date > "loop-$m/done"
  fi
done
args=()
for m in $MODELS; do args+=("$m=$OUT/loop-$m"); done
java -cp "$AL_JAR" org.mtpjava.compress.ActiveLearningReport --test al-test.cfg --out "$OUT" "${args[@]}"
echo "report: $OUT/al-report.md, $OUT/al-rounds.png"
