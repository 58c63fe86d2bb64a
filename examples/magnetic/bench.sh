#!/usr/bin/env bash
# Cost of the magnetic factor (issue 9, item 7): `bench` of level-L MTPs (2 species, R = 8) without a magnetic basis
# and with M = 1, 2, 3, 4, on one random bcc Fe-Al cell with moments (1024 atoms), one thread.
# One line:  examples/magnetic/bench.sh [level=16] [out=DIR] [repeat=20]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/env.sh"
level=16 out=$root/build/examples/magnetic/bench repeat=20
for arg in "$@"; do
  case $arg in
    level=*|out=*|repeat=*) eval "${arg%%=*}=\${arg#*=}" ;;
    *) echo "usage: $0 [level=L] [out=DIR] [repeat=N]" >&2; exit 2 ;;
  esac
done
jar="${MTPJAVA_JAR:-${MTPJAVA_BUILD_DIR:-$root/java/target}/mtpjava.jar}"
[ -f "$jar" ] || "$root/scripts/mvn" -q -B package -DskipTests ${MTPJAVA_BUILD_DIR:+-Dmtpjava.buildDir=$MTPJAVA_BUILD_DIR}
mkdir -p "$out"
cd "$out"
java -cp "$jar" "$here/MakeBenchCell.java" cell.cfg 8
printf "| level | magnetic basis M | parameters | us/atom/eval (thread CPU, median) | ratio to plain MTP |\n|---|---|---|---|---|\n" > bench.md
plain=""
for m in none 1 2 3 4; do
  pot="L${level}_M$m.mtp"
  if [ "$m" = none ]; then
    java -jar "$jar" generate-basis "$pot" --level "$level" --species 2 2> gen.txt
  else
    java -jar "$jar" generate-basis "$pot" --level "$level" --species 2 --magnetic-basis-size "$m" --magnetic-range -3.5 3.5 2> gen.txt
  fi
  params=$(grep -o '[0-9]* parameters' gen.txt | cut -d' ' -f1)
  java -jar "$jar" bench "$pot" cell.cfg --repeat "$repeat" > "bench_$m.txt"
  us=$(awk '/thread CPU time/{print $3}' "bench_$m.txt")
  [ -z "$plain" ] && plain=$us
  printf "| %s | %s | %s | %s | %s |\n" "$level" "$m" "$params" "$us" "$(awk -v a="$us" -v b="$plain" 'BEGIN{printf "%.2f", a/b}')" >> bench.md
done
echo "bench: $(awk '/^configuration/{print $6, $7}' bench_none.txt) atoms, $(awk '/^neighbours/{print $2}' bench_none.txt) neighbours/atom; $(grep '^CPU' bench_none.txt)"
cat bench.md
