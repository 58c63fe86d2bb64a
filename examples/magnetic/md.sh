#!/usr/bin/env bash
# Fe-Al MD with a trained magnetic MTP in LAMMPS (pair_style mtpjava): 128-atom bcc Fe70Al30, moments relaxed at
# every step (or held fixed), NVT then NVE at 300 K. One line:
#   examples/magnetic/md.sh [pot=FILE.mtp] [mode=relax|fixed] [steps=2000] [np=1] [morse=yes|no]
# Default potential: the w_m > 0 student of examples/magnetic/teacher-student.sh if it exists (finished, else the
# potential of its last checkpoint, student_wm*.itN.mtp), else the teacher
# (MLIP-3's al_fe_mag.mtpr). Output in build/examples/magnetic/md (log, final dump with moments and dE/dm).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/env.sh"
pot="" mode=relax steps=2000 np=1 morse=yes
for arg in "$@"; do
  case $arg in
    pot=*|mode=*|steps=*|np=*|morse=*) eval "${arg%%=*}=\${arg#*=}" ;;
    *) echo "usage: $0 [pot=FILE] [mode=relax|fixed] [steps=N] [np=N] [morse=yes|no]" >&2; exit 2 ;;
  esac
done
shared="${MTPJAVA_SHARED:-$root/../shared}"
[ -d "$shared/data" ] || shared=/work/shared
if [ -z "$pot" ]; then
  ts=$root/build/examples/magnetic/teacher-student
  # a finished w_m > 0 student, else the potential of its latest checkpoint (teacher-student.sh report=yes)
  pot=$(ls "$ts"/student_wm0.[0-9]*.mtp 2>/dev/null | grep -v '\.it[0-9]*\.mtp$' | head -1 || true)
  [ -n "$pot" ] || pot=$( (for f in "$ts"/student_wm0.[0-9]*.it[0-9]*.mtp; do
      if [ -f "$f" ]; then n=${f##*.it}; echo "${n%.mtp} $f"; fi; done) | sort -n | tail -1 | cut -d' ' -f2- || true)
  [ -n "$pot" ] || { pot="$shared/data/reference/mlip3_magnetic/al_fe_mag.mtpr"; echo "md: no trained student found (run teacher-student.sh first); using the teacher $pot"; }
fi
pot=$(cd "$(dirname "$pot")" && pwd)/$(basename "$pot")
"$root/scripts/lammps-build.sh"
source "${MTPJAVA_NATIVE_BUILD:-$root/build/lammps}/env.sh"
work=$root/build/examples/magnetic/md
mkdir -p "$work"
cd "$work"
echo "md: $pot, moments $mode, $steps steps on $np rank(s), Morse overlay $morse; output in $work"
run=("$MTPJAVA_LMP" -in "$here/in.feal-md" -log feal-md.log -var plugin "$MTPJAVA_PLUGIN" -var pot "$pot" -var mode "$mode" \
     -var steps "$steps" -var morse "$morse")
if [ "$np" = 1 ]; then "${run[@]}" > feal-md.out 2>&1; else $MTPJAVA_MPIRUN -np "$np" "${run[@]}" > feal-md.out 2>&1; fi || {
  grep -m1 ERROR feal-md.out || tail -5 feal-md.out; exit 1; }
grep -E "^mtpjava: (magnetic|potential)" feal-md.out
sed -n '/^ *Step/,/^Loop time/p' feal-md.log | grep -v "^Loop" | awk 'NR==1 || /^ *[0-9]/' | head -50
echo "md: columns c_mavg = mean moment (muB), c_mmax = largest moment, c_dmax = largest dE/dm (eV/muB), c_P[6] = L-BFGS iterations of the step, c_P[9] = 1 if it converged, c_P[10] = steps not converged so far (pair_style mtpjava's pvector, see docs/magnetic.md)"
