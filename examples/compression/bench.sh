#!/usr/bin/env bash
# Speed of compressed vs plain MTPs (issue 10 item 7), measured side by side in one JVM (bench-compressed:
# interleaved rounds, CPU time): evaluation us/atom of a 128-atom NbMoTaW test cell with the materialised dense
# tensor and the radial stage with the dense slice vs the factors contracted per pair; training seconds per
# loss+gradient evaluation and per BFGS iteration on the acceptance study's training subset.
#   examples/compression/bench.sh STUDYDIR      (STUDYDIR = the OUTDIR of run.sh, with runs/*.mtp and mtpjava.jar)
# Environment: MTPJAVA_JAR (default: the study's own STUDYDIR/mtpjava.jar), RUNS (default "base mf5 tf456 rmf6 mfra5 tfra264"), ITERATIONS (timed BFGS iterations per potential
# and round, default 5), ROUNDS (default 2), THREADS (default 2).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
S="$(cd "${1:?usage: bench.sh STUDYDIR}" && pwd)"
DATA="$ROOT/../shared/data/monbtaw_li2020_maml"
[ -d "$DATA" ] || DATA=/work/shared/data/monbtaw_li2020_maml
RUNS="${RUNS:-base mf5 tf456 rmf6 mfra5 tfra264}"
# the first 128-atom configuration of the test set
awk '/^BEGIN_CFG/{buf=""; n=0} {buf=buf $0 "\n"} /Size/{getline; buf=buf $0 "\n"; n=$1}
     /^END_CFG/{if (n == 128) {printf "%s\n", buf; exit}}' "$DATA/mlip_cfg/NbMoTaW_test.cfg" > "$S/bench128.cfg"
pots=()
for n in $RUNS; do [ -s "$S/runs/$n.mtp" ] && pots+=("$S/runs/$n.mtp"); done
java -Xmx3g -jar "${MTPJAVA_JAR:-$S/mtpjava.jar}" bench-compressed "$S/bench128.cfg" "${pots[@]}" --train "$S/train_subset.cfg" \
  --iterations "${ITERATIONS:-5}" --rounds "${ROUNDS:-2}" --threads "${THREADS:-2}" | tee "$S/bench.txt"
