#!/usr/bin/env bash
# ~10,000-atom random bcc Mo-Nb-Ta, NPT 300 K, 2 MPI ranks, published NbMoTaW MTP via pair_style mtpjava with
# on-the-fly extrapolation grades; stops cleanly if the max grade exceeds the break threshold.
# One line:  examples/monbta-10k/run.sh [mo=0.3333] [nb=0.3333] [steps=400] [np=2] [select=2.1] [break=10] [grades=yes]
# (Ta = 1 - mo - nb.) The first run builds the active set from the DFT training data (a few minutes, cached).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
mo=0.3333 nb=0.3333 steps=400 np=2 select=2.1 break=10 grades=yes every=10
for arg in "$@"; do
  case $arg in
    mo=*|nb=*|steps=*|np=*|select=*|break=*|grades=*|every=*) eval "${arg%%=*}=\${arg#*=}" ;;
    *) echo "usage: $0 [mo=X] [nb=Y] [steps=N] [np=N] [select=G] [break=G] [grades=yes|no] [every=N]" >&2; exit 2 ;;
  esac
done
awk -v mo="$mo" -v nb="$nb" 'BEGIN{ if (mo < 0 || nb < 0 || mo + nb > 1) { print "mo, nb must be fractions with mo + nb <= 1" > "/dev/stderr"; exit 1 } }'

source "$root/scripts/env.sh"
"$root/scripts/lammps-build.sh"
source "$root/build/lammps/env.sh"
data=$(cd "${MTPJAVA_SHARED:-$root/../shared}/data/monbtaw_li2020_maml" && pwd)
mtp=$data/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp
pot=$mtp
if [ "$grades" = yes ]; then
  pot=$MTPJAVA_CACHE/examples/NbMoTaW_quaternary_nbh.almtp
  if [ ! -f "$pot" ]; then
    mkdir -p "$(dirname "$pot")"
    echo "monbta-10k: building the active set of the published MTP from its DFT data (once, a few minutes) ..."
    java -Xmx10g -cp "$MTPJAVA_JAR" "$here/MakeActiveSet.java" "$mtp" "$pot.tmp.almtp" \
      "$data/mlip_cfg/NbMoTaW_train_without_Multinary_SQS.cfg" "$data/mlip_cfg/NbMoTaW_test.cfg:Multinary_Test"
    mv "$pot.tmp.almtp" "$pot"
  fi
fi

work=$root/build/examples/monbta-10k
mkdir -p "$work"
cd "$work"
rm -f extrapolative.cfg
echo "monbta-10k: Mo $mo, Nb $nb, Ta $(awk -v a="$mo" -v b="$nb" 'BEGIN{print 1-a-b}'); $steps NPT steps at 300 K on $np ranks; output in $work"
set +e
$MTPJAVA_MPIRUN -np "$np" "$MTPJAVA_LMP" -in "$here/in.monbta" -var plugin "$MTPJAVA_PLUGIN" -var pot "$pot" \
  -var mo "$mo" -var nb "$nb" -var steps "$steps" -var select "$select" -var break "$break" -var every "$every" \
  -var grades "$grades" >monbta.out 2>&1
rc=$?
set -e
sed -n '/^ *Step/,/^Loop time/p' monbta.out
saved=0
[ -f extrapolative.cfg ] && saved=$(grep -c BEGIN_CFG extrapolative.cfg)
if [ "$rc" = 0 ]; then
  grep '^MONBTA:' monbta.out | sed 's/^MONBTA: /monbta-10k: /'
  echo "monbta-10k: $saved configuration(s) with grade > $select saved to $work/extrapolative.cfg"
elif grep -q 'exceeds the break threshold' monbta.out; then
  echo "monbta-10k: stopped cleanly: $(grep -m1 -o 'extrapolation grade [^ ]* exceeds.*' monbta.out | sed 's/ (.*//')"
  echo "monbta-10k: $saved configuration(s) saved to $work/extrapolative.cfg (label them with DFT and retrain)"
else
  grep -m1 '^ERROR' monbta.out || tail -20 monbta.out
  echo "monbta-10k: LAMMPS failed (exit $rc); full output in $work/monbta.out" >&2
  exit "$rc"
fi
