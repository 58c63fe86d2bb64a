#!/usr/bin/env bash
# All LAMMPS tests of pair_style mtpjava. Builds what it needs first (scripts/lammps-build.sh, cached), then
# prints one PASS/FAIL line per check and a final "N passed, N failed" line; exits non-zero on any failure.
#
# Options: --quick  skip the slow checks (2048-atom oracle, 1000-step NVE, the magnetic dt/2 NVE runs)
# Environment: MTPJAVA_TEST_OUT (work folder, default build/lammps/tests), MTPJAVA_BUILD_DIR (jar folder).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
quick=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    *) echo "lammps-test.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

root=$MTPJAVA_ROOT
shared=${MTPJAVA_SHARED:-$root/../shared}
[ -d "$shared/data" ] || { echo "FAIL setup: shared data folder $shared/data not found (set MTPJAVA_SHARED)"; exit 1; }
shared=$(cd "$shared" && pwd)

"$root/scripts/lammps-build.sh" || { echo "FAIL build: scripts/lammps-build.sh failed"; echo "0 passed, 1 failed"; exit 1; }
source "${MTPJAVA_NATIVE_BUILD:-$root/build/lammps}/env.sh"
# `java` of JDK 25 for the checker and the standalone evaluation (env.sh put it first on PATH)

out=${MTPJAVA_TEST_OUT:-$root/build/lammps/tests}
rm -rf "$out"
mkdir -p "$out"
cd "$out" || exit 1
tests=$root/tests/lammps
passed=0
failed=0

pass() { echo "PASS $1: $2"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# Counts the PASS/FAIL lines of a checker run (and fails if it printed none).
count() {
  local text="$1" name="$2"
  [ -n "$text" ] && echo "$text"
  local p f
  p=$(grep -c '^PASS ' <<<"$text")
  f=$(grep -c '^FAIL ' <<<"$text")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then fail "$name" "the checker produced no result"; fi
}

javac -cp "$MTPJAVA_JAR" -d "$out/checker" "$tests/LammpsCheck.java" || { fail setup "cannot compile LammpsCheck.java"; }
check() { java -cp "$MTPJAVA_JAR:$out/checker" LammpsCheck "$@" 2>&1; }

# lmp NAME [ranks] -- ARGS: runs LAMMPS with output in NAME.out / NAME.log; returns its exit status
lmp() {
  local name=$1 ranks=1
  shift
  if [ "${1:-}" != "--" ]; then ranks=$1; shift; fi
  shift
  if [ "$ranks" = 1 ]; then
    "$MTPJAVA_LMP" -log "$name.log" "$@" >"$name.out" 2>&1
  else
    $MTPJAVA_MPIRUN -np "$ranks" "$MTPJAVA_LMP" -log "$name.log" "$@" >"$name.out" 2>&1
  fi
}
ran_ok() {  # NAME STATUS: a failed LAMMPS run is reported with the tail of its output
  if [ "$2" != 0 ]; then
    fail "$1" "LAMMPS exited with $2: $(grep -m1 '^ERROR' "$1.out" || tail -3 "$1.out" | tr '\n' ' ')"
    return 1
  fi
}

plugin=$MTPJAVA_PLUGIN
quaternary=$shared/data/monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp
sio=$shared/data/lammps_ml_mtp/SiO.mtp
kit=$shared/data/mlip_reference_kit/testvectors
oracle=$shared/data/lammps_mtp_unittest_oracle
alloy_style="mtpjava species Nb Mo Ta W"
alloy_coeff="* * $quaternary Mo Nb Ta"

echo "== layout of the C frame vs FrameLayout"
layout_bin=$(dirname "$plugin")/mtpjava_layout
"$layout_bin" >layout.txt && count "$(check layout layout layout.txt)" layout || fail layout "cannot run $layout_bin"

echo "== configurations"
lmp make-alloy -- -in "$tests/in.make-alloy" -var n 4 -var out alloy128.data; ran_ok make-alloy $? || true
lmp make-alloy-ortho -- -in "$tests/in.make-alloy" -var n 4 -var tilt 0 -var seed 77 -var out alloy128o.data
ran_ok make-alloy-ortho $? || true
lmp make-alloy432 -- -in "$tests/in.make-alloy" -var n 6 -var seed 9001 -var out alloy432.data
ran_ok make-alloy432 $? || true
# quartz 2x2x2 with displaced atoms (triclinic cell)
cat >make-quartz.in <<EOF
units metal
atom_style atomic
read_data $shared/data/lammps_ml_mtp/data.quartz
replicate 2 2 2
displace_atoms all random 0.05 0.05 0.05 31337 units box
write_data quartz72.data
EOF
lmp make-quartz -- -in make-quartz.in; ran_ok make-quartz $? || true

echo "== LAMMPS vs standalone Java evaluation (relative 1e-10)"
# name data style coeff species-of-type-for-cfg potential
standalone() {
  local name=$1 data=$2 style=$3 coeff=$4 map=$5 pot=$6
  lmp "$name" -- -in "$tests/in.static" -var plugin "$plugin" -var data "$data" -var style "$style" \
      -var coeff "$coeff" -var dump "$name.dump" -var res "$name.res"
  ran_ok "$name" $? || return
  check lammps2cfg "$name.res" "$name.dump" "$name.cfg" "$map" >/dev/null || { fail "$name" "cannot convert the dump to cfg"; return; }
  java -jar "$MTPJAVA_JAR" calculate-efs "$pot" "$name.cfg" "$name.ref.cfg" --lossless --threads 1 >"$name.efs.out" 2>&1 \
    || { fail "$name" "standalone calculate-efs failed: $(tail -2 "$name.efs.out" | tr '\n' ' ')"; return; }
  count "$(check efs "$name" "$name.res" "$name.dump" "$name.ref.cfg" 1e-10)" "$name"
  count "$(check consistency "$name" "$name.res" "$name.dump" 1e-10)" "$name"
}
standalone alloy-triclinic alloy128.data "$alloy_style" "$alloy_coeff" "1 0 2" "$quaternary"
standalone quartz-displaced quartz72.data "mtpjava" "* * $sio 0 1" "0 1" "$sio"
# with fdotr switched off (pair_modify nofdotr) Java sums the global virial pair by pair itself
lmp nofdotr -- -in "$tests/in.static" -var plugin "$plugin" -var data alloy128.data -var style "$alloy_style" \
    -var coeff "$alloy_coeff" -var extra "pair_modify nofdotr" -var dump nofdotr.dump -var res nofdotr.res
ran_ok nofdotr $? && count "$(check same virial-summed-in-java alloy-triclinic.res alloy-triclinic.dump nofdotr.res nofdotr.dump 1e-10)" nofdotr
# as a sub-style of pair hybrid/overlay (hybrid then does the fdotr sum for all sub-styles)
lmp hybrid -- -in "$tests/in.static" -var plugin "$plugin" -var data alloy128.data \
    -var style "hybrid/overlay $alloy_style zero 1.0" -var coeff "* * mtpjava $quaternary Mo Nb Ta" \
    -var extra "pair_coeff * * zero" -var dump hybrid.dump -var res hybrid.res
ran_ok hybrid $? && count "$(check same hybrid-overlay alloy-triclinic.res alloy-triclinic.dump hybrid.res hybrid.dump 1e-10)" hybrid

echo "== virial vs finite differences of the energy"
lmp fd-base -- -in "$tests/in.static" -var plugin "$plugin" -var data alloy128o.data -var style "$alloy_style" \
    -var coeff "$alloy_coeff" -var dump fd-base.dump -var res fd-base.res
if ran_ok fd-base $?; then
  lmp fd -- -in "$tests/in.fdvirial" -var plugin "$plugin" -var data alloy128o.data -var style "$alloy_style" \
      -var coeff "$alloy_coeff" -var res fd.res
  ran_ok fd $? && count "$(check fdvirial virial-fd fd-base.res fd.res 1e-6)" virial-fd
fi

echo "== quartz example (LAMMPS ML-MTP reference log)"
lmp quartz -- -in "$root/examples/quartz/in.quartz" -var plugin "$plugin" -var data "$shared/data/lammps_ml_mtp"
if ran_ok quartz $?; then
  count "$(check thermo quartz-step0-E_pair quartz.log PotEng 0 -42575.409 0.0005)" quartz
  count "$(check thermo quartz-step0-Press quartz.log Press 0 83622.907 0.005)" quartz
  count "$(check thermo quartz-step100-E_pair quartz.log PotEng 100 -42574.243 0.002)" quartz
  count "$(check thermo quartz-step100-Press quartz.log Press 100 12981.667 1)" quartz
fi

if [ "$quick" = 0 ]; then
  echo "== LAMMPS ML-MTP unit-test oracle (NaKCl.mtp, 2048 atoms, relative 4e-11)"
  lmp oracle -- -in "$tests/in.static" -var plugin "$plugin" -var data "$oracle/data.mtp" -var style mtpjava \
      -var coeff "* * $oracle/NaKCl.mtp 0 1 2" -var dump oracle.dump -var res oracle.res -var neigh 2.0
  ran_ok oracle $? && count "$(check oracle oracle "$oracle/manybody-pair-mtp.yaml" oracle.res oracle.dump 4e-11)" oracle
fi

echo "== 1 vs 2 MPI ranks (relative 1e-10)"
for np in 1 2; do
  lmp "mpi$np" "$np" -- -in "$tests/in.static" -var plugin "$plugin" -var data alloy432.data -var style "$alloy_style" \
      -var coeff "$alloy_coeff" -var dump "mpi$np.dump" -var res "mpi$np.res"
  ran_ok "mpi$np" $? || true
  lmp "mpimd$np" "$np" -- -in "$tests/in.md" -var plugin "$plugin" -var data alloy432.data -var style "$alloy_style" \
      -var coeff "$alloy_coeff" -var steps 50
  ran_ok "mpimd$np" $? || true
done
[ -f mpi1.res ] && [ -f mpi2.res ] && count "$(check same np1-vs-np2 mpi1.res mpi1.dump mpi2.res mpi2.dump 1e-10)" mpi
[ -f mpimd1.log ] && [ -f mpimd2.log ] && count "$(check samethermo np1-vs-np2-50-steps-thermo mpimd1.log mpimd2.log 1e-10)" mpi

if [ "$quick" = 0 ]; then
  echo "== NVE energy conservation (1000 steps)"
  lmp nve -- -in "$tests/in.md" -var plugin "$plugin" -var data alloy128.data -var style "$alloy_style" \
      -var coeff "$alloy_coeff" -var steps 1000 -var every 10
  ran_ok nve $? && count "$(check nve nve-1000-steps nve.log 2e-4 5e-5)" nve
fi

echo "== clear + plugin load, restart"
lmp clear -- -in "$tests/in.clear" -var plugin "$plugin" -var data quartz72.data -var style mtpjava \
    -var coeff "* * $sio 0 1" -var res clear.res -var restart clear.restart
if ran_ok clear $?; then
  e1=$(awk '$1=="energy_first"{print $2}' clear.res)
  e2=$(awk '$1=="energy_after_clear"{print $2}' clear.res)
  e3=$(awk '$1=="energy_after_restart"{print $2}' clear.res)
  if [ -n "$e1" ] && [ "$e1" = "$e2" ] && [ "$e1" = "$e3" ]; then
    pass clear-and-restart "same energy $e1 after clear + plugin load and after read_restart"
  else
    fail clear-and-restart "energies '$e1' / '$e2' / '$e3'"
  fi
fi

source "$root/scripts/lammps-test-grades.sh"
source "$root/scripts/lammps-test-errors.sh"
MTPJAVA_TEST_SOURCED_MAGNETIC=1 source "$root/scripts/lammps-test-magnetic.sh"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
