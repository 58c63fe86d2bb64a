#!/usr/bin/env bash
# Compress-then-fine-tune: the workflow a user with a trained MTP follows. Takes the base of a finished study,
# compresses it by truncated SVD (MF, R-MF) and TT-SVD (TF) with `mtpjava compress`, fine-tunes each compressed model
# for ITERATIONS BFGS steps with the same data and settings, and continues the base itself for the same ITERATIONS
# steps (so every model has had the same total budget). Test RMSEs and parameter counts in OUTDIR/warm-start/report.md.
#
#   examples/compression/warm-start.sh OUTDIR     (resumable: finished runs are kept)
#
# OUTDIR is either an `examples/compression/run.sh` study (NbMoTaW; runs base mf5 rmf6 tf456, ~50 % of the 512
# radial parameters; the report adds bcc Mo/Nb/Ta a0, C11, C12, C44) or an `examples/compression/magnetic.sh` study
# (recognised by its train.cfg/test.cfg; runs base mf6 mf4 tf44 mf3, loss with --magnetic-force-weight WM).
# Environment: MTPJAVA_JAR (default: OUTDIR/mtpjava.jar of the study), ITERATIONS (default 200), THREADS (default 2),
# WM (magnetic studies, default 0.5), RUNS (subset of the study's run names).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR   (the directory of a finished run.sh or magnetic.sh study)" >&2; exit 2; }
STUDY="$(cd "$1" && pwd)"
BASE="$STUDY/runs/base.mtp"
ITERATIONS="${ITERATIONS:-200}"
THREADS="${THREADS:-2}"
# name -> compress method, rank(s), train --compress spec (empty = the base, continued)
if [ -s "$STUDY/train.cfg" ] && [ -s "$STUDY/test.cfg" ]; then
  TRAIN="$STUDY/train.cfg" TEST="$STUDY/test.cfg"
  TRAIN_ARGS=(--magnetic-force-weight "${WM:-0.5}")
  declare -A METHOD=([mf3]=mf [mf4]=mf [mf6]=mf [tf44]=tf)
  declare -A RANK=([mf3]=3 [mf4]=4 [mf6]=6 [tf44]=2,4,4,4,2)
  declare -A SPEC=([base]="" [mf3]="mf:rank=3" [mf4]="mf:rank=4" [mf6]="mf:rank=6" [tf44]="tf:ranks=2,4,4,4,2")
  ORDER="base mf6 mf4 tf44 mf3"
  REPORT_ARGS=()
else
  DATA="$ROOT/../shared/data/monbtaw_li2020_maml"
  [ -d "$DATA" ] || DATA=/work/shared/data/monbtaw_li2020_maml
  TRAIN="$STUDY/train_subset.cfg" TEST="$DATA/mlip_cfg/NbMoTaW_test.cfg"
  TRAIN_ARGS=()
  declare -A METHOD=([mf5]=mf [rmf6]=rmf [tf456]=tf)
  declare -A RANK=([mf5]=5 [rmf6]=6 [tf456]=4,5,6)
  declare -A SPEC=([base]="" [mf5]="mf:rank=5" [rmf6]="rmf:rank=6" [tf456]="tf:ranks=4,5,6")
  ORDER="base mf5 rmf6 tf456"
  REPORT_ARGS=(--split Multinary --in-range --elastic "base mf5 rmf6 tf456")
fi
[ -s "$BASE" ] && [ -s "$TRAIN" ] \
  || { echo "$STUDY: no runs/base.mtp or $(basename "$TRAIN"); run examples/compression/run.sh or magnetic.sh with OUTDIR $STUDY first (RUNS=base is enough)" >&2; exit 1; }
OUT="$STUDY/warm-start"
mkdir -p "$OUT/runs"
[ -s "$OUT/mtpjava.jar" ] || cp "${MTPJAVA_JAR:-$STUDY/mtpjava.jar}" "$OUT/mtpjava.jar"
J=(java -Xmx3g -jar "$OUT/mtpjava.jar")

for name in ${RUNS:-$ORDER}; do
  [ -n "${SPEC[$name]+x}" ] || { echo "unknown run '$name' (known: ${!SPEC[*]})" >&2; exit 2; }
  pot="$OUT/runs/$name.mtp"
  [ -s "$pot" ] && { echo "$name: done ($pot)"; continue; }
  start="$BASE"
  if [ -n "${SPEC[$name]}" ]; then
    start="$OUT/runs/$name.start.mtp"
    [ -s "$start" ] || "${J[@]}" compress "$BASE" --method "${METHOD[$name]}" --rank "${RANK[$name]}" \
        --check "$TRAIN" --threads "$THREADS" --save-to "$start" > "$OUT/runs/$name.compress.log" 2>&1 \
      || { echo "$name: compress failed, see $OUT/runs/$name.compress.log" >&2; exit 1; }
  fi
  args=(train "$start" "$TRAIN" --save-to "$pot" "${TRAIN_ARGS[@]}" --iteration-limit "$ITERATIONS" --tolerance 0
        --threads "$THREADS" --no-plots --checkpoint-every 25 --checkpoint "$OUT/runs/$name.checkpoint")
  [ -n "${SPEC[$name]}" ] && args+=(--compress "${SPEC[$name]}")
  [ -f "$OUT/runs/$name.checkpoint" ] && args+=(--resume "$OUT/runs/$name.checkpoint")
  echo "$name: fine-tuning ${SPEC[$name]:-base (continued)} from $start ($(date))"
  "${J[@]}" "${args[@]}" >> "$OUT/runs/$name.log" 2>&1 || { echo "$name failed, see $OUT/runs/$name.log" >&2; exit 1; }
done

# report: the original base (the study's budget), then every model after the same extra budget
pots=("base_start=$BASE")
for name in $ORDER; do [ -s "$OUT/runs/$name.mtp" ] && pots+=("$name=$OUT/runs/$name.mtp"); done
java -Xmx3g -cp "$OUT/mtpjava.jar" org.mtpjava.compress.CompressionReport --test "$TEST" --out "$OUT" --threads "$THREADS" \
  "${REPORT_ARGS[@]}" "${pots[@]}"
echo "report: $OUT/report.md"
