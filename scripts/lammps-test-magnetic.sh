#!/usr/bin/env bash
# Magnetic-MTP checks of pair_style mtpjava (issue 9); sourced by scripts/lammps-test.sh (uses its lmp/ran_ok/
# pass/fail/count helpers and variables) or run alone: scripts/lammps-test-magnetic.sh [--quick]
if [ -z "${MTPJAVA_TEST_SOURCED_MAGNETIC:-}" ] && [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # standalone: set up the same environment as lammps-test.sh
  set -uo pipefail
  source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
  quick=0
  for arg in "$@"; do case $arg in --quick) quick=1 ;; *) echo "unknown option $arg" >&2; exit 2 ;; esac; done
  root=$MTPJAVA_ROOT
  shared=${MTPJAVA_SHARED:-$root/../shared}
  [ -d "$shared/data" ] || shared=/work/shared
  shared=$(cd "$shared" && pwd)
  "$root/scripts/lammps-build.sh" || { echo "FAIL build"; exit 1; }
  source "${MTPJAVA_NATIVE_BUILD:-$root/build/lammps}/env.sh"
  out=${MTPJAVA_TEST_OUT:-$root/build/lammps/tests-magnetic}
  rm -rf "$out"; mkdir -p "$out"; cd "$out" || exit 1
  passed=0; failed=0
  pass() { echo "PASS $1: $2"; passed=$((passed + 1)); }
  fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
  count() {
    local text="$1" name="$2"; [ -n "$text" ] && echo "$text"
    local p f; p=$(grep -c '^PASS ' <<<"$text"); f=$(grep -c '^FAIL ' <<<"$text")
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$p" = 0 ] && [ "$f" = 0 ]; then fail "$name" "the checker produced no result"; fi
  }
  lmp() {
    local name=$1 ranks=1; shift
    if [ "${1:-}" != "--" ]; then ranks=$1; shift; fi
    shift
    if [ "$ranks" = 1 ]; then "$MTPJAVA_LMP" -log "$name.log" "$@" >"$name.out" 2>&1
    else $MTPJAVA_MPIRUN -np "$ranks" "$MTPJAVA_LMP" -log "$name.log" "$@" >"$name.out" 2>&1; fi
  }
  ran_ok() {
    if [ "$2" != 0 ]; then fail "$1" "LAMMPS exited with $2: $(grep -m1 '^ERROR' "$1.out" || tail -3 "$1.out" | tr '\n' ' ')"; return 1; fi
  }
  plugin=$MTPJAVA_PLUGIN
  standalone_magnetic=1
fi

echo "== magnetic MTP (magmom fixed|relax)"
mtests=$root/tests/lammps/magnetic
mag_pot=$shared/data/reference/mlip3_magnetic/al_fe_mag.mtpr
javac -cp "$MTPJAVA_JAR" -d "$out/mcheck" "$mtests/MagneticCheck.java" || fail magnetic-setup "cannot compile MagneticCheck.java"
mcheck() { java -cp "$MTPJAVA_JAR:$out/mcheck" MagneticCheck "$@" 2>&1; }
java -cp "$MTPJAVA_JAR" "$mtests/MakeWellPotential.java" "$shared/data/mlip_reference_kit/testvectors/L08_init_template.almtp" well.mtp \
  || fail magnetic-setup "cannot write the well potential"
lmp mag-make54 -- -in "$mtests/in.make" -var n 3 -var mlo 0.3 -var mhi 2.1 -var out mag54.data; ran_ok mag-make54 $? || true
lmp mag-make-well -- -in "$mtests/in.make" -var n 3 -var mlo 0.5 -var mhi 3.5 -var seed 99 -var out well54.data; ran_ok mag-make-well $? || true
lmp mag-make128 -- -in "$mtests/in.make" -var n 4 -var mlo 0.5 -var mhi 3.5 -var seed 7 -var out well128.data; ran_ok mag-make128 $? || true
lmp mag-make-out -- -in "$mtests/in.make" -var n 3 -var mlo 0.3 -var mhi 3.5 -var out outside54.data; ran_ok mag-make-out $? || true

# fixed moments: LAMMPS vs standalone calculate-efs (energy, forces, dE/dm)
mag_static() {  # name data pot mode extra [ranks]
  lmp "$1" "${6:-1}" -- -in "$mtests/in.static" -var plugin "$plugin" -var data "$2" -var pot "$3" -var mode "$4" \
      -var extra "$5" -var dump "$1.dump" -var res "$1.res"
}
for case in "mag-fixed mag54.data $mag_pot" "mag-fixed-well well54.data well.mtp"; do
  set -- $case
  mag_static "$1" "$2" "$3" fixed ""
  if ran_ok "$1" $?; then
    mcheck dump2cfg "$1.dump" "$1.cfg" "0 1"
    java -jar "$MTPJAVA_JAR" calculate-efs "$3" "$1.cfg" "$1.ref.cfg" --lossless --threads 1 >"$1.efs.out" 2>&1 \
      && count "$(mcheck efs "$1" "$1.dump" "$1.res" "$1.ref.cfg" 1e-10)" "$1" \
      || fail "$1" "standalone calculate-efs failed: $(tail -1 "$1.efs.out")"
  fi
done

# relaxed moments: LAMMPS (one relaxation at step 0) vs `mtpjava relax` of the moments at the same positions
mag_static mag-relax well54.data well.mtp relax "magmom_tolerance 1e-10 magmom_iterations 1000"
if ran_ok mag-relax $?; then
  lmp mag-relax-start -- -in "$mtests/in.static" -var plugin "$plugin" -var data well54.data -var pot well.mtp -var mode fixed \
      -var extra "" -var dump mag-relax-start.dump -var res mag-relax-start.res
  mcheck dump2cfg mag-relax-start.dump mag-relax-start.cfg "0 1"
  java -jar "$MTPJAVA_JAR" relax well.mtp mag-relax-start.cfg mag-relax.ref.cfg --force-tolerance 0 --stress-tolerance 0 \
      --magnetic-force-tolerance 1e-10 --max-magnetic-step 0.5 --lossless --threads 1 --no-log >mag-relax.java.out 2>&1 \
    && count "$(mcheck relaxed mag-relax-vs-java-relax mag-relax.dump mag-relax.res mag-relax.ref.cfg 1e-6)" mag-relax \
    || fail mag-relax "mtpjava relax failed: $(tail -1 mag-relax.java.out)"
  grep -q "^iterations" mag-relax.res && pass mag-relax-report "L-BFGS iterations and evaluations of step 0: $(awk '$1=="iterations"{print $2, $3}' mag-relax.res)"
fi

echo "== magnetic MTP: 1 vs 2 MPI ranks (relative 1e-10)"
for np in 1 2; do
  mag_static "mag-fixed-np$np" well128.data well.mtp fixed "" "$np"
  ran_ok "mag-fixed-np$np" $? || true
  mag_static "mag-relax-np$np" well128.data well.mtp relax "magmom_tolerance 1e-11 magmom_iterations 2000" "$np"
  ran_ok "mag-relax-np$np" $? || true
  lmp "mag-md-np$np" "$np" -- -in "$mtests/in.md" -var plugin "$plugin" -var data well128.data -var pot well.mtp -var mode relax \
      -var extra "magmom_tolerance 1e-11 magmom_iterations 2000" -var steps 10 -var dumpit yes -var overlay yes -var dump "mag-md-np$np.dump"
  ran_ok "mag-md-np$np" $? || true
done
[ -f mag-fixed-np1.res ] && [ -f mag-fixed-np2.res ] \
  && count "$(mcheck same mag-fixed-np1-vs-np2 mag-fixed-np1.dump mag-fixed-np1.res mag-fixed-np2.dump mag-fixed-np2.res 1e-10)" mag-mpi
[ -f mag-relax-np1.res ] && [ -f mag-relax-np2.res ] \
  && count "$(mcheck same mag-relax-np1-vs-np2 mag-relax-np1.dump mag-relax-np1.res mag-relax-np2.dump mag-relax-np2.res 1e-10)" mag-mpi
if [ -f mag-md-np1.dump ] && [ -f mag-md-np2.dump ]; then
  for np in 1 2; do awk '/^ *Step/{f=1;next} f&&/^Loop/{f=0} f&&$1==10{print "energy", $6}' "mag-md-np$np.log" > "mag-md-np$np.res"; done
  count "$(mcheck same mag-md-10-steps-relax-np1-vs-np2 mag-md-np1.dump mag-md-np1.res mag-md-np2.dump mag-md-np2.res 1e-10)" mag-mpi
fi

# NVE, 1 fs, 300 K, 54 atoms, Morse overlay shifted to 0 at 8 A (tests/lammps/magnetic/in.md). Tolerances: max |E - E0|
# 5e-5 eV/atom (measured 1.4-1.9e-5, the size of the Verlet fluctuation of the non-magnetic NVE check), least-squares
# drift over the run 2e-5 eV/atom (measured <= 2.5e-6). The dt/2 runs check that the fluctuation is the integrator's
# (~dt^2), i.e. that the forces are exact derivatives of the energy at fixed (or relaxed) moments.
echo "== magnetic MTP: NVE energy conservation (1000 steps of 1 fs, fixed and relaxed moments)"
mag_nve() {  # name data pot mode extra steps dt every
  lmp "$1" -- -in "$mtests/in.md" -var plugin "$plugin" -var data "$2" -var pot "$3" -var mode "$4" -var extra "$5" \
      -var steps "$6" -var dt "$7" -var every "$8" -var overlay yes
}
mag_nve mag-nve-fixed well54.data well.mtp fixed "" 1000 0.001 10
ran_ok mag-nve-fixed $? && count "$(mcheck nve mag-nve-fixed-1000-steps mag-nve-fixed.log 5e-5 2e-5)" mag-nve
mag_nve mag-nve-relax well54.data well.mtp relax "magmom_tolerance 1e-8" 1000 0.001 10
ran_ok mag-nve-relax $? && count "$(mcheck nve mag-nve-relax-1000-steps mag-nve-relax.log 5e-5 2e-5)" mag-nve
mag_nve mag-nve-teacher mag54.data "$mag_pot" fixed "" 1000 0.001 10
ran_ok mag-nve-teacher $? && count "$(mcheck nve mag-nve-fixed-al_fe_mag-1000-steps mag-nve-teacher.log 5e-5 2e-5)" mag-nve
if [ "${quick:-0}" = 0 ]; then
  mag_nve mag-nve-teacher-half mag54.data "$mag_pot" fixed "" 2000 0.0005 20
  ran_ok mag-nve-teacher-half $? && count "$(mcheck nve-dt mag-nve-fixed-al_fe_mag-dt-scaling mag-nve-teacher.log mag-nve-teacher-half.log 3)" mag-nve
  mag_nve mag-nve-relax-half well54.data well.mtp relax "magmom_tolerance 1e-8" 2000 0.0005 20
  ran_ok mag-nve-relax-half $? && count "$(mcheck nve-dt mag-nve-relax-dt-scaling mag-nve-relax.log mag-nve-relax-half.log 3)" mag-nve
fi

echo "== magnetic MTP: bad inputs (one clear error each)"
mag_error() {  # name expected-text lmp-args...
  local name=$1 text=$2; shift 2
  lmp "$name" -- -in "$mtests/in.error" -var plugin "$plugin" "$@"
  local rc=$?
  if [ "$rc" != 0 ] && grep -q -- "$text" "$name.out"; then pass "$name" "$(grep -m1 'ERROR' "$name.out" | cut -c1-160)"
  else fail "$name" "expected an error containing '$text' (exit $rc): $(grep -m1 ERROR "$name.out" || tail -2 "$name.out" | tr '\n' ' ')"; fi
}
mag_error mag-err-plain-style "is a magnetic MTP" -var data mag54.data -var style mtpjava -var pot "$mag_pot"
mag_error mag-err-not-magnetic "is not a magnetic MTP" -var data mag54.data -var style "mtpjava magmom fixed" \
    -var pot "$shared/data/lammps_ml_mtp/SiO.mtp"
lmp mag-make-plain -- -in "$mtests/in.make" -var n 2 -var mlo 1 -var mhi 2 -var plain yes -var out plain.data
ran_ok mag-make-plain $? || true
mag_error mag-err-no-property "need a per-atom double property d_magmom" -var data plain.data -var fix no \
    -var style "mtpjava magmom fixed" -var pot "$mag_pot"
mag_error mag-err-outside "outside the potential's magnetic interval" -var data outside54.data -var style "mtpjava magmom fixed" \
    -var pot "$mag_pot"
mag_error mag-err-options "need magmom relax" -var data mag54.data -var style "mtpjava magmom fixed magmom_tolerance 1e-6" \
    -var pot "$mag_pot"
mag_error mag-err-mode "magmom must be fixed or relax" -var data mag54.data -var style "mtpjava magmom frozen" -var pot "$mag_pot"

if [ -n "${standalone_magnetic:-}" ]; then
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
fi
