#!/usr/bin/env bash
# Compressed-MTP acceptance on NbMoTaW (issue 10 item 4): base MTP and MF, TF, R-MF, MFRA, rank-adaptive TF at
# ~75 % and ~50 % of the 512 radial parameters, same data, settings and iteration budget; test RMSEs, parameter
# counts, RMSE-vs-parameters PNG and bcc Mo/Nb/Ta lattice constants and elastic constants.
#
#   examples/compression/run.sh [OUTDIR]        (default examples/compression/out; resumable: finished runs are kept)
#
# Environment: MTPJAVA_JAR (default: build into $OUTDIR/build), ITERATIONS (main BFGS steps, default 200),
# THREADS (default 2), RUNS (space-separated subset of the run names below).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
OUT="${1:-$HERE/out}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
DATA="$ROOT/../shared/data/monbtaw_li2020_maml"
[ -d "$DATA" ] || DATA=/work/shared/data/monbtaw_li2020_maml
TRAIN_FULL="$DATA/mlip_cfg/NbMoTaW_train_without_Multinary_SQS.cfg"
TEST="$DATA/mlip_cfg/NbMoTaW_test.cfg"
PUBLISHED="$DATA/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"
ITERATIONS="${ITERATIONS:-200}"
THREADS="${THREADS:-2}"

if [ -z "${MTPJAVA_JAR:-}" ]; then
  "$ROOT/scripts/mvn" -q -o package -DskipTests -Dmtpjava.buildDir="$OUT/build" >/dev/null 2>&1 \
    || "$ROOT/scripts/mvn" -q package -DskipTests -Dmtpjava.buildDir="$OUT/build"
  MTPJAVA_JAR="$OUT/build/mtpjava.jar"
fi
# a private copy, so that rebuilding the tree does not change a running study
cp "$MTPJAVA_JAR" "$OUT/mtpjava.jar"
J=(java -Xmx3g -jar "$OUT/mtpjava.jar")

# 1. the documented training subset (same for every model; the test file is never used for training):
#    every 16th AIMD snapshot, every 2nd elastic cell, all surfaces, every 12th binary solid-solution cell
#    (676 configurations, 9,704 atoms: what 11 trainings of 275 BFGS iterations allow on 2 shared cores)
if [ ! -s "$OUT/train_subset.cfg" ]; then
  awk -v aimd=16 -v ss=12 -v el=2 '
    /^BEGIN_CFG/ {buf=""; grp=""; inblk=1}
    inblk {buf=buf $0 "\n"}
    /Feature[ \t]+config_type/ {grp=$3}
    /^END_CFG/ {inblk=0; s=1; if (grp ~ /_AIMD$/) s=aimd; else if (grp ~ /_SS$/) s=ss; else if (grp ~ /_Elastic$/) s=el;
                if ((cnt[grp]++) % s == 0) printf "%s\n", buf}' "$TRAIN_FULL" > "$OUT/train_subset.cfg.tmp"
  mv "$OUT/train_subset.cfg.tmp" "$OUT/train_subset.cfg"
fi
# 2. the published level-14 setting (4 species, N_mu = 4, N_beta = 8, 52 basis functions) without coefficients
if [ ! -s "$OUT/template14.mtp" ]; then
  awk '/radial_coeffs/{skip=1; next} /^alpha_moments_count/{skip=0} skip{next}
       /^species_coeffs|^moment_coeffs|^scaling/{next} {print}' "$PUBLISHED" > "$OUT/template14.mtp"
fi

# 3. the runs: name and --compress spec (empty = base). 512 radial parameters in the base.
declare -A SPEC=(
  [base]=""
  [mf5]="mf:rank=5"                                   # 240 (46.9 %)
  [tf456]="tf:ranks=4,5,6"                            # 264 (51.6 %)
  [rmf6]="rmf:rank=6"                                 # 252 (49.2 %)
  [mfra5]="mfra:rmin=1,rmax=5,every=30,step=1"        # 240 at the end (rank 5 from iteration 120)
  [tfra264]="tfra:rmin=2,every=15,step=1,budget=264"  # <= 264 at the end
  [mf8]="mf:rank=8"                                   # 384 (75 %)
  [tf486]="tf:ranks=4,8,6"                            # 384 (75 %)
  [rmf10]="rmf:rank=10"                               # 380 (74.2 %)
  [mfra8]="mfra:rmin=1,rmax=8,every=30,step=1"        # 384 at the end (rank 8 from iteration 210)
  [tfra384]="tfra:rmin=2,every=15,step=1,budget=384"  # <= 384 at the end
  # fixed-rank TF at the final ranks TFRA chose, (4,6,4) and (4,10,4): the same parameter count
  [tf464]="tf:ranks=4,6,4"                            # 240 (46.9 %)
  [tf4104]="tf:ranks=4,10,4"                          # 368 (71.9 %)
  # TFRA growing over ~the first half of a 1,500-iteration budget instead of its first 120-180 iterations
  [tfraslow264]="tfra:rmin=2,every=100,step=1,budget=264"
)
ORDER="base mf5 tf456 rmf6 mfra5 tfra264 mf8 tf486 rmf10 mfra8 tfra384 tf464 tf4104 tfraslow264"
RUNS="${RUNS:-$ORDER}"
mkdir -p "$OUT/runs"
for name in $RUNS; do
  pot="$OUT/runs/$name.mtp"
  [ -s "$pot" ] && { echo "$name: done ($pot)"; continue; }
  [ -n "${SPEC[$name]+set}" ] || { echo "unknown run name '$name' (known: $ORDER)" >&2; exit 2; }
  spec="${SPEC[$name]}"
  args=(train "$OUT/template14.mtp" "$OUT/train_subset.cfg" --save-to "$pot" --iteration-limit "$ITERATIONS" --tolerance 0
        --init-random --seed 1 --threads "$THREADS" --no-plots --checkpoint-every 25 --checkpoint "$OUT/runs/$name.checkpoint")
  [ -n "$spec" ] && args+=(--compress "$spec")
  [ -f "$OUT/runs/$name.checkpoint" ] && args+=(--resume "$OUT/runs/$name.checkpoint")
  echo "$name: training ${spec:-base} ($(date))"
  "${J[@]}" "${args[@]}" > "$OUT/runs/$name.log.tmp" 2>&1 || { echo "$name failed, see $OUT/runs/$name.log.tmp"; exit 1; }
  mv "$OUT/runs/$name.log.tmp" "$OUT/runs/$name.log"
done

# 4. report: test RMSEs (whole test set, and without the Multinary group and the configurations with a pair closer than
#    the models' min_dist), parameter counts, plots, bcc Mo/Nb/Ta a0 and C11/C12/C44 of the base and the 50 % models
pots=()
for name in $ORDER; do [ -s "$OUT/runs/$name.mtp" ] && pots+=("$name=$OUT/runs/$name.mtp"); done
java -Xmx3g -cp "$OUT/mtpjava.jar" org.mtpjava.compress.CompressionReport --test "$TEST" --out "$OUT" --threads "$THREADS" --split Multinary \
  --in-range --elastic "base mf5 tf456 rmf6 mfra5 tfra264 tf464 tfraslow264" --iterations "$ITERATIONS" "${pots[@]}"
echo "report: $OUT/report.md, $OUT/rmse_vs_parameters.png"
