#!/usr/bin/env bash
# LAMMPS MD with the potential trained by run.sh: 250-atom random bcc Mo-Nb-Ta, NVT at 300 K, 1 ps,
# through pair_style mtpjava. One line:
#   examples/train-small/md.sh [OUTDIR]         (default build/examples/train-small; runs run.sh first if needed)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mkdir -p "${1:-$root/build/examples/train-small}" && cd "${1:-$root/build/examples/train-small}" && pwd)
[ -f "$out/MoNbTa_L10.almtp" ] || "$here/run.sh" "$out"
source "$root/scripts/env.sh"
"$root/scripts/lammps-build.sh"
source "$root/build/lammps/env.sh"
cd "$out"
"$MTPJAVA_LMP" -in "$here/in.md" -var plugin "$MTPJAVA_PLUGIN" -var pot "$out/MoNbTa_L10.almtp" > md.out 2>&1 \
  || { grep -m1 '^ERROR' md.out || tail -20 md.out; echo "train-small: LAMMPS failed; see $out/md.out" >&2; exit 1; }
sed -n '/^ *Step/,/^Loop time/p' md.out
