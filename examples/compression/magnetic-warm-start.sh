#!/usr/bin/env bash
# Compress-then-fine-tune for the magnetic study: takes the base student of a finished
# `examples/compression/magnetic.sh OUTDIR`, compresses its 6-way radial tensor by truncated SVD (MF) and TT-SVD (TF)
# with `mtpjava compress`, fine-tunes each for ITERATIONS BFGS steps on the same data with the same loss, and continues
# the base itself for the same ITERATIONS steps, so that every model has had the same total budget.
# Test RMSEs and parameter counts in OUTDIR/warm-start/report.md.
#
#   examples/compression/magnetic-warm-start.sh OUTDIR   (resumable; env: MTPJAVA_JAR (default OUTDIR/mtpjava.jar),
#                                                         ITERATIONS=300, WM=0.5, THREADS=2, RUNS)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR   (the directory of a finished examples/compression/magnetic.sh study)" >&2; exit 2; }
STUDY="$(cd "$1" && pwd)"
BASE="$STUDY/runs/base.mtp"
[ -s "$BASE" ] && [ -s "$STUDY/train.cfg" ] && [ -s "$STUDY/test.cfg" ] \
  || { echo "$STUDY: no runs/base.mtp, train.cfg or test.cfg; run examples/compression/magnetic.sh $STUDY first (RUNS=base is enough)" >&2; exit 1; }
ITERATIONS="${ITERATIONS:-300}" WM="${WM:-0.5}" THREADS="${THREADS:-2}"
OUT="$STUDY/warm-start"
mkdir -p "$OUT/runs"
[ -s "$OUT/mtpjava.jar" ] || cp "${MTPJAVA_JAR:-$STUDY/mtpjava.jar}" "$OUT/mtpjava.jar"
J=(java -Xmx3g -jar "$OUT/mtpjava.jar")

# name -> compress method, rank(s), train --compress spec (empty = the base, continued)
declare -A METHOD=([mf3]=mf [mf4]=mf [mf6]=mf [tf44]=tf)
declare -A RANK=([mf3]=3 [mf4]=4 [mf6]=6 [tf44]=2,4,4,4,2)
declare -A SPEC=([base]="" [mf3]="mf:rank=3" [mf4]="mf:rank=4" [mf6]="mf:rank=6" [tf44]="tf:ranks=2,4,4,4,2")
ORDER="base mf6 mf4 tf44 mf3"
for name in ${RUNS:-$ORDER}; do
  [ -n "${SPEC[$name]+x}" ] || { echo "unknown run '$name' (known: ${!SPEC[*]})" >&2; exit 2; }
  pot="$OUT/runs/$name.mtp"
  [ -s "$pot" ] && { echo "$name: done ($pot)"; continue; }
  start="$BASE"
  if [ -n "${SPEC[$name]}" ]; then
    start="$OUT/runs/$name.start.mtp"
    [ -s "$start" ] || "${J[@]}" compress "$BASE" --method "${METHOD[$name]}" --rank "${RANK[$name]}" \
        --check "$STUDY/test.cfg" --threads "$THREADS" --save-to "$start" > "$OUT/runs/$name.compress.log" 2>&1 \
      || { echo "$name: compress failed, see $OUT/runs/$name.compress.log" >&2; exit 1; }
  fi
  args=(train "$start" "$STUDY/train.cfg" --save-to "$pot" --magnetic-force-weight "$WM" --iteration-limit "$ITERATIONS"
        --tolerance 0 --threads "$THREADS" --no-plots --checkpoint-every 25 --checkpoint "$OUT/runs/$name.checkpoint")
  [ -n "${SPEC[$name]}" ] && args+=(--compress "${SPEC[$name]}")
  [ -f "$OUT/runs/$name.checkpoint" ] && args+=(--resume "$OUT/runs/$name.checkpoint")
  echo "$name: fine-tuning ${SPEC[$name]:-base (continued)} from $start ($(date))"
  "${J[@]}" "${args[@]}" >> "$OUT/runs/$name.log" 2>&1 || { echo "$name failed, see $OUT/runs/$name.log" >&2; exit 1; }
done

# report: the base before (magnetic.sh budget), then every model after the same extra budget
pots=("base_start=$BASE")
for name in base mf6 mf4 tf44 mf3; do [ -s "$OUT/runs/$name.mtp" ] && pots+=("$name=$OUT/runs/$name.mtp"); done
java -Xmx3g -cp "$OUT/mtpjava.jar" org.mtpjava.compress.CompressionReport --test "$STUDY/test.cfg" --out "$OUT" \
  --threads "$THREADS" "${pots[@]}"
echo "report: $OUT/report.md"
