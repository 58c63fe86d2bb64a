#!/usr/bin/env bash
# LAMMPS-level checks of the Mo-Nb-Ta ductility workflow (mtpjava ductility). Small cells, a few minutes on 2 cores.
# One PASS/FAIL line per check and a final "N passed, N failed" line; exits non-zero on any failure.
#
#   tests/ductility/run.sh [--quick]      --quick skips the 2-rank, interruption and active-learning checks
# Environment: MTPJAVA_TEST_OUT (work folder, default build/ductility-tests), MTPJAVA_JAR (default java/target/mtpjava.jar),
#              MTPJAVA_SHARED (shared data, default ../shared), MTPJAVA_LAMMPS_ENV (env.sh of the LAMMPS/plugin build).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/scripts/env.sh"
quick=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    *) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
shared=${MTPJAVA_SHARED:-$root/../shared}
[ -d "$shared/data" ] || shared=/work/shared
shared=$(cd "$shared" && pwd)
pot=$shared/data/monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp
jar=${MTPJAVA_JAR:-$root/java/target/mtpjava.jar}
[ -f "$jar" ] || "$root/scripts/mvn" -q -B package -DskipTests || { echo "FAIL setup: cannot build $jar"; echo "0 passed, 1 failed"; exit 1; }
# MTPJAVA_LAMMPS_ENV: an env.sh of another consistent plugin + jar build (default: build/lammps/env.sh, built here)
if [ -n "${MTPJAVA_LAMMPS_ENV:-}" ]; then
  source "$MTPJAVA_LAMMPS_ENV"
else
  "$root/scripts/lammps-build.sh" >/dev/null || { echo "FAIL setup: scripts/lammps-build.sh failed"; echo "0 passed, 1 failed"; exit 1; }
  source "$root/build/lammps/env.sh"
fi
out=${MTPJAVA_TEST_OUT:-$root/build/ductility-tests}
rm -rf "$out"; mkdir -p "$out"; cd "$out" || exit 1
passed=0 failed=0
pass() { echo "PASS $1: $2"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
duct() { java -jar "$jar" ductility "$@"; }

# config NAME DIR [GRID-LINES] [EXTRA-TOML]: a small configuration (cells of about 128 atoms, 8 planes)
config() {
  cat > "$1" <<EOF
[potential]
file = "$pot"
species = ["Nb", "Mo", "Ta", "W"]
[grid]
step = 0.5
${3:-}
[cells]
atoms = 128
realisations = 1
surface_layers = 8
gsf_layers = 8
[elastic]
strains = [0.001, 0.002]
[gsf]
planes = 2
shifts = [0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0]
[relax]
ftol = 1e-5
pressure_tolerance = 1.0
[output]
dir = "$2"
${4:-}
EOF
}
col() { # col CSV COMPOSITION COLUMN-NAME
  awk -F, -v c="$2" -v n="$3" 'NR==1{for(i=1;i<=NF;i++) if($i==n) k=i} NR>1 && $1==c {print $k}' "$1"
}

echo "== pure elements: LAMMPS workflow vs standalone Java (EfsCalculator stress-strain, no LAMMPS)"
config pure.toml "$out/pure" 'compositions = ["Mo100Nb0Ta0", "Mo0Nb100Ta0", "Mo0Nb0Ta100"]'
if duct --config pure.toml > pure.log 2>&1; then
  duct elastic-check "$pot" --species Nb,Mo,Ta,W --element Mo,Nb,Ta --strains 0.001,0.002 > java.txt 2>&1
  for el in Mo Nb Ta; do
    case $el in Mo) c=Mo100Nb0Ta0;; Nb) c=Mo0Nb100Ta0;; Ta) c=Mo0Nb0Ta100;; esac
    read -r ja jc11 jc12 jc44 < <(awk -v e=$el '$1==e {split($0,p,"|"); split(p[2],q," "); print $2, q[3], q[4], q[5]}' java.txt)
    la=$(col pure/ductility.csv $c a0_A); l11=$(col pure/ductility.csv $c C11_GPa); l12=$(col pure/ductility.csv $c C12_GPa); l44=$(col pure/ductility.csv $c C44_GPa)
    if awk -v a=$la -v b=$ja -v c1=$l11 -v d1=$jc11 -v c2=$l12 -v d2=$jc12 -v c3=$l44 -v d3=$jc44 \
        'BEGIN{ok = (a-b)/b<2e-6 && (b-a)/b<2e-6 && (c1-d1)^2<0.05^2 && (c2-d2)^2<0.05^2 && (c3-d3)^2<0.05^2; exit !ok}'; then
      pass elastic-$el "LAMMPS a0 $la C $l11/$l12/$l44 = Java a0 $ja C $jc11/$jc12/$jc44 GPa"
    else
      fail elastic-$el "LAMMPS a0 $la C $l11/$l12/$l44 vs Java a0 $ja C $jc11/$jc12/$jc44 GPa"
    fi
  done
  # GSF of a pure element: symmetric about b/2 and zero at s = b
  g=$(ls pure/results/Mo0Nb100Ta0/gsf-r1.json)
  if java -cp "$jar" "$root/tests/ductility/GsfCheck.java" "$g" > gsf.txt 2>&1; then pass gsf-symmetry "$(cat gsf.txt)"; else fail gsf-symmetry "$(cat gsf.txt)"; fi
  s100=$(col pure/ductility.csv Mo0Nb100Ta0 gamma_s100_Jm2); s110=$(col pure/ductility.csv Mo0Nb100Ta0 gamma_s110_Jm2)
  if awk -v a=$s100 -v b=$s110 'BEGIN{exit !(b < a && b > 1 && a < 4)}'; then pass surfaces-Nb "gamma_s{110} $s110 < gamma_s{100} $s100 J/m2"
  else fail surfaces-Nb "gamma_s{110} $s110, gamma_s{100} $s100 J/m2"; fi
else
  fail elastic "the pure-element sweep failed: $(tail -3 pure.log | tr '\n' ' ')"
fi

echo "== checkpoints: a second run recomputes nothing and gives the same table"
cp pure/ductility.csv first.csv 2>/dev/null
duct --config pure.toml > pure2.log 2>&1
if grep -q "3/3 compositions (3 from checkpoints)" pure2.log && cmp -s first.csv pure/ductility.csv; then
  pass resume-cached "3 of 3 compositions from checkpoints, identical ductility.csv"
else
  fail resume-cached "$(grep -m1 '3/3 compositions' pure2.log)"
fi

echo "== bad input: one clear message"
config bad.toml "$out/bad" '' '[quick]
atom = 5'
msg=$(duct --config bad.toml 2>&1); st=$?
if [ $st = 2 ] && grep -q "unknown option" <<<"$msg" && [ "$(wc -l <<<"$msg")" = 1 ]; then pass bad-option "$msg"; else fail bad-option "status $st: $msg"; fi
config bad2.toml "$out/bad2"
sed -i "s|^file = .*|file = \"$out/missing.mtp\"|" bad2.toml
msg=$(duct --config bad2.toml --composition Mo100Nb0Ta0 2>&1); st=$?
if [ $st = 2 ] && grep -q "missing.mtp not found" <<<"$msg"; then pass bad-potential "$msg"; else fail bad-potential "status $st: $msg"; fi

echo "== Slurm: job-array script, one task run by hand, merge"
config slurm.toml "$out/slurm-run"
if duct --config slurm.toml --write-slurm > slurm.log 2>&1 && [ -x slurm-run/slurm/ductility-array.sh ]; then
  if SLURM_ARRAY_TASK_ID=5 SLURM_NTASKS=1 bash slurm-run/slurm/ductility-array.sh > task5.log 2>&1 \
      && [ -f slurm-run/results/Mo100Nb0Ta0/summary.json ] && bash slurm-run/slurm/ductility-merge.sh > merge.log 2>&1 \
      && [ "$(grep -c '^Mo100Nb0Ta0,' slurm-run/ductility.csv)" = 1 ]; then
    pass slurm "array task 5 (Mo100Nb0Ta0) run by hand, merge wrote $(($(wc -l < slurm-run/ductility.csv) - 1)) row(s)"
  else
    fail slurm "$(tail -2 task5.log merge.log 2>/dev/null | tr '\n' ' ')"
  fi
else
  fail slurm "--write-slurm: $(tail -2 slurm.log | tr '\n' ' ')"
fi

if [ $quick = 0 ]; then
  echo "== 2 MPI ranks give the 1-rank numbers (random alloy)"
  config np.toml "$out/np1" 'compositions = ["Mo40Nb30Ta30"]'
  sed "s|$out/np1|$out/np2|" np.toml > np2.toml
  if duct --config np.toml > np1.log 2>&1 && duct --config np2.toml --ranks 2 > np2.log 2>&1; then
    ok=1; msg=""
    for q in a0_A C11_GPa C12_GPa C44_GPa gamma_s100_Jm2 gamma_usf_Jm2 D_over_Dc; do
      a=$(col np1/ductility.csv Mo40Nb30Ta30 $q); b=$(col np2/ductility.csv Mo40Nb30Ta30 $q)
      awk -v a=$a -v b=$b 'BEGIN{d=(a-b)/a; exit !(d<1e-4 && d>-1e-4)}' || ok=0
      msg="$msg $q $a/$b"
    done
    [ $ok = 1 ] && pass np1-vs-np2 "1 rank / 2 ranks:$msg" || fail np1-vs-np2 "1 rank / 2 ranks:$msg"
  else
    fail np1-vs-np2 "$(tail -2 np1.log np2.log | tr '\n' ' ')"
  fi

  echo "== interruption and resume"
  config int.toml "$out/int"
  duct --config int.toml > int1.log 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do [ -f int/results/Mo0Nb0Ta100/bulk-r1.json ] && break; sleep 0.5; done
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  first=$(sha256sum int/results/Mo0Nb0Ta100/bulk-r1.json 2>/dev/null | cut -c1-16)
  if duct --config int.toml > int2.log 2>&1 && [ "$(sha256sum int/results/Mo0Nb0Ta100/bulk-r1.json | cut -c1-16)" = "$first" ] \
      && ! grep -q "Mo0Nb0Ta100 bulk r1 \.\.\." int2.log && [ "$(($(wc -l < int/ductility.csv) - 1))" = 6 ]; then
    pass interrupt-resume "killed after the first task; the rerun kept it (same checkpoint $first) and finished all 6 compositions"
  else
    fail interrupt-resume "$(tail -2 int2.log | tr '\n' ' ')"
  fi

  echo "== a failing oracle: failures reported per configuration, labelled data kept"
  cat > flaky-oracle.sh <<EOF
#!/usr/bin/env bash
# labels with the published MTP, then drops every third configuration and marks one as not converged; exits 3
set -e
java -jar "$jar" calculate-efs "$pot" "\$1" full.cfg --lossless --threads 1
awk 'BEGIN{n=-1} /BEGIN_CFG/{n++} (n%3!=1){print}' full.cfg | sed '/oracle_id\tinit-0+5$/a \ Feature   oracle_status\tfailed: SCF not converged' > "\$2"
echo "flaky oracle: some configurations failed" >&2
exit 3
EOF
  chmod +x flaky-oracle.sh
  config al.toml "$out/al" "" "[oracle]
command = \"bash $out/flaky-oracle.sh {in} {out}\"
[training]
template = \"$out/no-such-template.almtp\"
[active_learning]
enabled = true
initial_configurations = 12
initial_max_atoms = 40"
  msg=$(duct --config al.toml 2>&1); st=$?
  nf=$(grep -c . al/al/initial/oracle-failures.txt 2>/dev/null); nl=$(grep -c BEGIN_CFG al/al/train.cfg 2>/dev/null)
  if [ "$st" != 0 ] && [ "$nf" = 5 ] && [ "$nl" = 7 ] && grep -q "SCF not converged" al/al/initial/oracle-failures.txt \
      && grep -q "exited with status 3" al/al/initial/oracle-failures.txt; then
    pass failing-oracle "5 of 12 configurations reported with reasons, 7 labelled kept in train.cfg; the loop then stopped: $(tail -1 <<<"$msg")"
  else
    fail failing-oracle "status $st, failures $nf, labelled $nl: $(tail -2 <<<"$msg" | tr '\n' ' ')"
  fi
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
