#!/usr/bin/env bash
# alpha-quartz with SiO.mtp through pair_style mtpjava, compared with LAMMPS ML-MTP's own log.
# One line:  examples/quartz/run.sh        (builds what is missing first; output in build/examples/quartz)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/env.sh"
"$root/scripts/lammps-build.sh"
source "$root/build/lammps/env.sh"
shared=$(cd "${MTPJAVA_SHARED:-$root/../shared}" && pwd)
work=$root/build/examples/quartz
mkdir -p "$work"
cd "$work"
"$MTPJAVA_LMP" -in "$here/in.quartz" -var plugin "$MTPJAVA_PLUGIN" -var data "$shared/data/lammps_ml_mtp" \
  | tee quartz.out | sed -n '/^ *Step/,/^Loop time/p'
awk '/^ *Step/{on=1; next} on && $1==0 {printf "quartz: step 0 E_pair = %.3f eV (LAMMPS ML-MTP: -42575.409), Press = %.3f bar (ML-MTP: 83622.907)\n", $3, $5}
     on && $1==100 {printf "quartz: step 100 E_pair = %.3f eV (ML-MTP: -42574.243), Press = %.3f bar (ML-MTP: 12981.667)\n", $3, $5; on=0}' quartz.out
