#!/usr/bin/env bash
# Compress-then-fine-tune on NbMoTaW: the workflow a user with a trained MTP follows. Takes the base of a finished
# `examples/compression/run.sh OUTDIR` study, compresses it to ~50 % of its 512 radial parameters by truncated SVD
# (MF, R-MF) and TT-SVD (TF) with `mtpjava compress`, fine-tunes each for ITERATIONS BFGS steps with the same data
# and settings, and continues the base itself for the same ITERATIONS steps (so every model has had the same total
# budget). Test RMSEs, parameter counts and bcc Mo/Nb/Ta a0, C11, C12, C44 in OUTDIR/warm-start/report.md.
#
#   examples/compression/warm-start.sh OUTDIR     (OUTDIR of run.sh; resumable: finished runs are kept)
#
# Environment: MTPJAVA_JAR (default: OUTDIR/mtpjava.jar of the study), ITERATIONS (default 200), THREADS (default 2),
# RUNS (subset of: base mf5 rmf6 tf456).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR   (the directory of a finished examples/compression/run.sh study)" >&2; exit 2; }
STUDY="$(cd "$1" && pwd)"
BASE="$STUDY/runs/base.mtp"
[ -s "$BASE" ] && [ -s "$STUDY/train_subset.cfg" ] \
  || { echo "$STUDY: no runs/base.mtp or train_subset.cfg; run examples/compression/run.sh $STUDY first (RUNS=base is enough)" >&2; exit 1; }
DATA="$ROOT/../shared/data/monbtaw_li2020_maml"
[ -d "$DATA" ] || DATA=/work/shared/data/monbtaw_li2020_maml
TEST="$DATA/mlip_cfg/NbMoTaW_test.cfg"
ITERATIONS="${ITERATIONS:-200}"
THREADS="${THREADS:-2}"
OUT="$STUDY/warm-start"
mkdir -p "$OUT/runs"
[ -s "$OUT/mtpjava.jar" ] || cp "${MTPJAVA_JAR:-$STUDY/mtpjava.jar}" "$OUT/mtpjava.jar"
J=(java -Xmx3g -jar "$OUT/mtpjava.jar")

# name, compress method, rank(s), train --compress spec (empty = the base, continued)
declare -A METHOD=([mf5]=mf [rmf6]=rmf [tf456]=tf)
declare -A RANK=([mf5]=5 [rmf6]=6 [tf456]=4,5,6)
declare -A SPEC=([base]="" [mf5]="mf:rank=5" [rmf6]="rmf:rank=6" [tf456]="tf:ranks=4,5,6")
ORDER="base mf5 rmf6 tf456"
for name in ${RUNS:-$ORDER}; do
  pot="$OUT/runs/$name.mtp"
  [ -s "$pot" ] && { echo "$name: done ($pot)"; continue; }
  start="$BASE"
  if [ -n "${SPEC[$name]}" ]; then
    start="$OUT/runs/$name.start.mtp"
    [ -s "$start" ] || "${J[@]}" compress "$BASE" --method "${METHOD[$name]}" --rank "${RANK[$name]}" \
        --check "$STUDY/train_subset.cfg" --threads "$THREADS" --save-to "$start" > "$OUT/runs/$name.compress.log" 2>&1 \
      || { echo "$name: compress failed, see $OUT/runs/$name.compress.log" >&2; exit 1; }
  fi
  args=(train "$start" "$STUDY/train_subset.cfg" --save-to "$pot" --iteration-limit "$ITERATIONS" --tolerance 0
        --threads "$THREADS" --no-plots --checkpoint-every 25 --checkpoint "$OUT/runs/$name.checkpoint")
  [ -n "${SPEC[$name]}" ] && args+=(--compress "${SPEC[$name]}")
  [ -f "$OUT/runs/$name.checkpoint" ] && args+=(--resume "$OUT/runs/$name.checkpoint")
  echo "$name: fine-tuning ${SPEC[$name]:-base (continued)} from $start ($(date))"
  "${J[@]}" "${args[@]}" >> "$OUT/runs/$name.log" 2>&1 || { echo "$name failed, see $OUT/runs/$name.log" >&2; exit 1; }
done

# report: the original base (run.sh budget), then every model after the same extra budget
pots=("base_start=$BASE")
for name in $ORDER; do [ -s "$OUT/runs/$name.mtp" ] && pots+=("$name=$OUT/runs/$name.mtp"); done
java -Xmx3g -cp "$OUT/mtpjava.jar" org.mtpjava.compress.CompressionReport --test "$TEST" --out "$OUT" --threads "$THREADS" \
  --split Multinary --in-range --elastic "base mf5 rmf6 tf456" "${pots[@]}"
echo "report: $OUT/report.md"
