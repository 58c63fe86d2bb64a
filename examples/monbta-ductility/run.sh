#!/usr/bin/env bash
# The Mo-Nb-Ta ductility study in one line (from anywhere):
#   examples/monbta-ductility/run.sh --quick          # ~2,000-atom cells, 25 % grid, 1 realisation
#   examples/monbta-ductility/run.sh                  # ~10,000-atom cells, 10 % grid, 3 realisations
#   examples/monbta-ductility/run.sh --config examples/monbta-ductility/ductility-al.toml --quick
#                                                     # actively learned MTP, stand-in oracle (no DFT)
# Extra arguments go to `mtpjava ductility` (e.g. --ranks 2, --composition Mo10Nb45Ta45, --merge, --write-slurm).
# Builds the jar and LAMMPS with the plugin first if needed (cached).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/env.sh"
jar=${MTPJAVA_JAR:-$root/java/target/mtpjava.jar}
[ -f "$jar" ] || "$root/scripts/mvn" -q -B package -DskipTests
if [ -n "${MTPJAVA_LAMMPS_ENV:-}" ]; then source "$MTPJAVA_LAMMPS_ENV"   # another plugin + jar build
else "$root/scripts/lammps-build.sh" > /dev/null; source "$root/build/lammps/env.sh"; fi
config="$here/ductility.toml"
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --config) config=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
exec java -jar "$jar" ductility --config "$config" "${args[@]}"
