#!/usr/bin/env bash
# Compressed magnetic MTP (issue 10 item 5): MF and TF of the 6-way radial tensor c[mu,beta,zeta,gamma,ti,tj] on the
# teacher-student magnetic set of the magnetic-MTP example (examples/magnetic: MLIP-3's level-16 Fe-Al mMTP
# al_fe_mag.mtpr, 2 species, N_mu = 4, N_beta = 12, magnetic basis 2 -> 768 radial of 862 parameters, labels random
# bcc Fe-Al cells with energies, forces, stresses and magnetic forces). The base student and the compressed students
# are trained from the same untrained template, data, loss (--magnetic-force-weight) and iteration budget, and
# compared on a separate test set.
#   examples/compression/magnetic.sh [OUTDIR]     (resumable; env: MTPJAVA_JAR, TRAIN=100, TEST=60, ITERATIONS=200,
#                                                  WM=0.5, THREADS=2, RUNS, RADIAL_BASIS)
# RADIAL_BASIS (default: the teacher's 12) gives every student a smaller Chebyshev radial basis than the teacher's, so
# that no student, the uncompressed base included, can represent the teacher exactly - as no MTP represents DFT.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/env.sh"
OUT="${1:-$HERE/out-magnetic}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
SHARED="$ROOT/../shared"; [ -d "$SHARED/data" ] || SHARED=/work/shared
TEACHER="$SHARED/data/reference/mlip3_magnetic/al_fe_mag.mtpr"
TRAIN="${TRAIN:-100}" TEST="${TEST:-60}" ITERATIONS="${ITERATIONS:-200}" WM="${WM:-0.5}" THREADS="${THREADS:-2}"
if [ -z "${MTPJAVA_JAR:-}" ]; then
  "$ROOT/scripts/mvn" -q package -DskipTests -Dmtpjava.buildDir="$OUT/build" >/dev/null
  MTPJAVA_JAR="$OUT/build/mtpjava.jar"
fi
[ -s "$OUT/mtpjava.jar" ] || cp "$MTPJAVA_JAR" "$OUT/mtpjava.jar"
J=(java -Xmx3g -jar "$OUT/mtpjava.jar")
cd "$OUT"
[ -s train.cfg ] || java -cp mtpjava.jar org.mtpjava.magnetic.TeacherData "$TEACHER" train.cfg "$TRAIN" 1 --template template.mtp
if [ -n "${RADIAL_BASIS:-}" ]; then
  sed -i "s/^\(\s*radial_basis_size = \).*/\1$RADIAL_BASIS/" template.mtp
fi
echo "students: radial_basis_size $(awk '/radial_basis_size/{print $3}' template.mtp) (teacher: $(awk '/radial_basis_size/{print $3}' "$TEACHER"))"
[ -s test.cfg ] || java -cp mtpjava.jar org.mtpjava.magnetic.TeacherData "$TEACHER" test.cfg "$TEST" 2

# radial tensor 4 x 12 x 2 x 2 x 2 x 2 = 768; MF rows (mu, beta) = 48, columns (zeta, gamma, ti, tj) = 16
declare -A SPEC=(
  [base]=""
  [mf3]="mf:rank=3"                 # 192 radial, 286 parameters (3.01x fewer); with RADIAL_BASIS=8: 144 of 512
  [mf4]="mf:rank=4"                 # 256 radial, 350 of 862 parameters (2.46x fewer)
  [mf6]="mf:rank=6"                 # 384 radial, 478 parameters (1.80x fewer)
  [mf8]="mf:rank=8"                 # with RADIAL_BASIS=8: 384 of 512 radial, 478 of 606 parameters (1.27x fewer)
  [tf44]="tf:ranks=2,4,4,4,2"       # order ti,tj,mu,beta,zeta,gamma: 296 radial, 390 parameters (2.21x fewer)
  [tf46]="tf:ranks=2,4,6,4,2"       # 424 radial, 518 parameters (1.66x fewer)
)
ORDER="base mf4 tf44 mf6 tf46"
mkdir -p runs
for name in ${RUNS:-$ORDER}; do
  [ -n "${SPEC[$name]+x}" ] || { echo "unknown run '$name' (known: ${!SPEC[*]})" >&2; exit 2; }
  pot="runs/$name.mtp"
  [ -s "$pot" ] && { echo "$name: done"; continue; }
  spec="${SPEC[$name]}"
  args=(train template.mtp train.cfg --save-to "$pot" --magnetic-force-weight "$WM" --iteration-limit "$ITERATIONS" --tolerance 0
        --init-random --seed 1 --threads "$THREADS" --no-plots --checkpoint-every 25 --checkpoint "runs/$name.checkpoint")
  [ -n "$spec" ] && args+=(--compress "$spec")
  [ -f "runs/$name.checkpoint" ] && args+=(--resume "runs/$name.checkpoint")
  echo "$name: training ${spec:-base} ($(date))"
  "${J[@]}" "${args[@]}" > "runs/$name.log.tmp" 2>&1 || { echo "$name failed, see $OUT/runs/$name.log.tmp"; exit 1; }
  mv "runs/$name.log.tmp" "runs/$name.log"
done
pots=()
for name in base mf3 mf4 tf44 mf6 mf8 tf46; do [ -s "runs/$name.mtp" ] && pots+=("$name=runs/$name.mtp"); done
java -Xmx3g -cp mtpjava.jar org.mtpjava.compress.CompressionReport --test test.cfg --out "$OUT" --threads "$THREADS" \
  --iterations "$ITERATIONS" "${pots[@]}"
echo "report: $OUT/report.md"
