#!/usr/bin/env bash
# Benchmark of pair_style mtpjava (not a test): ~10,000-atom random bcc Mo-Nb-Ta, 100 MD steps after a 30-step
# warm-up, on 1 and 2 MPI ranks, against pair_style snap (C++, ML-SNAP, Debian's lammps-data Mo SNAP) and a
# no-interaction baseline for memory. Prints a Markdown table (also written to build/lammps/bench/results.md).
# Options: steps=N warmup=N cells=N (17 -> 9826 atoms)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
steps=100 warmup=30 cells=17
for arg in "$@"; do
  case $arg in steps=*|warmup=*|cells=*) eval "${arg%%=*}=\${arg#*=}" ;; *) echo "unknown option $arg" >&2; exit 2 ;; esac
done
root=$MTPJAVA_ROOT
"$root/scripts/lammps-build.sh" >/dev/null
source "$root/build/lammps/env.sh"
shared=$(cd "${MTPJAVA_SHARED:-$root/../shared}" && pwd)
mtp=$shared/data/monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp
snapdir=/usr/share/lammps/potentials
out=$root/build/lammps/bench
rm -rf "$out"; mkdir -p "$out"; cd "$out"

# peak RSS (VmHWM) of every lmp process, sampled until the run ends: works for any pair style
run_measured() {  # NAME NP ARGS...
  local name=$1 np=$2; shift 2
  if [ "$np" = 1 ]; then "$MTPJAVA_LMP" -log "$name.log" "$@" >"$name.out" 2>&1 &
  else MTPJAVA_STATS=1 $MTPJAVA_MPIRUN -np "$np" -x MTPJAVA_STATS "$MTPJAVA_LMP" -log "$name.log" "$@" >"$name.out" 2>&1 & fi
  local pid=$! peak=0
  while kill -0 "$pid" 2>/dev/null; do
    for p in $(pgrep -x lmp_mtpjava || true); do
      local kb; kb=$(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
      [ "${kb:-0}" -gt "$peak" ] && peak=$kb
    done
    sleep 0.2
  done
  wait "$pid" || { echo "benchmark run $name failed:"; tail -5 "$name.out"; exit 1; }
  echo "$peak" >"$name.rss"
}
common=(-in "$root/tests/lammps/in.bench" -var plugin "$MTPJAVA_PLUGIN" -var steps "$steps" -var warmup "$warmup" -var cells "$cells")
for np in 1 2; do
  run_measured "mtpjava-np$np" "$np" "${common[@]}" -var style "mtpjava species Nb Mo Ta W" -var coeff "* * $mtp Mo Nb Ta"
  run_measured "snap-np$np" "$np" "${common[@]}" -var mtp 0 -var style snap \
      -var coeff "* * $snapdir/Mo_Zuo_JPCA2020.snapcoeff $snapdir/Mo_Zuo_JPCA2020.snapparam Mo Mo Mo"
  run_measured "zero-np$np" "$np" "${common[@]}" -var mtp 0 -var style "zero 4.7" -var coeff "* *"
done

natoms=$(awk '/^Created [0-9]+ atoms/{print $2; exit}' mtpjava-np1.out)
pair_time() { awk '/^Pair +\|/{t=$5} END{print t}' "$1.log"; }   # avg over ranks, last (measured) run
loop_time() { awk '/^Loop time of/{t=$4} END{print t}' "$1.log"; }
{
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "System: $natoms atoms, bcc Mo-Nb-Ta, $steps NVE steps of 2 fs after $warmup warm-up steps; times are wall-clock seconds of the measured run."
  echo
  echo "| style | ranks | loop s | pair s | pair us/atom-step (wall) | pair core-us/atom-step | Java call s | Java kernel s | C++ side + transitions | outside the MTP kernel | peak RSS/rank MB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for np in 1 2; do
    for s in mtpjava snap zero; do
      n=$s-np$np
      pt=$(pair_time "$n"); lt=$(loop_time "$n"); rss=$(awk '{printf "%.0f", $1/1024}' "$n.rss")
      if [ "$s" = mtpjava ]; then
        read -r pc jc kc <<<"$(awk '/^BENCH java/{print $4, $6, $8}' "$n.out" | tail -1)"
        # c_mtp sums over ranks: per rank = value / np
        awk -v np="$np" -v pt="$pt" -v lt="$lt" -v pc="$pc" -v jc="$jc" -v kc="$kc" -v n="$natoms" -v st="$steps" -v rss="$rss" \
          'BEGIN{ pcr=pc/np; jcr=jc/np; kcr=kc/np;
                  printf "| mtpjava | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f %% | %.1f %% | %s |\n", np, lt, pt, pt/(n*st)*1e6, pt*np/(n*st)*1e6, jcr, kcr, (pcr-jcr)/pcr*100, (pcr-kcr)/pcr*100, rss }'
      else
        awk -v s="$s" -v np="$np" -v pt="$pt" -v lt="$lt" -v n="$natoms" -v st="$steps" -v rss="$rss" \
          'BEGIN{ printf "| %s | %d | %.2f | %.2f | %.2f | %.2f | | | | | %s |\n", (s=="snap" ? "snap (C++, Mo_Zuo_JPCA2020)" : "zero (no forces; memory baseline)"), np, lt, pt, pt/(n*st)*1e6, pt*np/(n*st)*1e6, rss }'
      fi
    done
  done
  echo
  echo "JVM start-up (rank 0 of the 1-rank run): $(grep -m1 -o 'started in [0-9]* ms, bridge bootstrap [0-9]* ms' mtpjava-np1.log)."
  for np in 1 2; do
    awk -v np="$np" -v a="$(cat mtpjava-np$np.rss)" -v b="$(cat zero-np$np.rss)" \
      'BEGIN{printf "JVM resident memory per rank (%d ranks): %.0f MB more than the same run with pair_style zero.\n", np, (a-b)/1024}'
  done
  grep -h '^mtpjava-stats' mtpjava-np2.out | sed 's/^/    /' || true
} | tee results.md
