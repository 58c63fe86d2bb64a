#!/usr/bin/env bash
# Teacher-student acceptance test of magnetic-MTP training (issue 9). A known magnetic MTP (MLIP-3's level-16 Fe-Al
# mMTP al_fe_mag.mtpr, 2 species, R = 12, M = 2) labels random bcc Fe-Al cells (16-54 atoms, displaced atoms,
# strained cells, random collinear moments over its interval) with energies, forces, stresses and magnetic forces;
# students are trained from an untrained template of the same level and bases, once with --magnetic-force-weight 0
# (MLIP-3's loss) and once with W_M > 0, and compared on a separate test set.
# One line:
#   examples/magnetic/teacher-student.sh [out=DIR] [train=200] [test=100] [iters=1500] [wm=0.5] [threads=N]
# The two trainings run at the same time (threads each); on 2 free cores the whole run takes a few hours.
# Writes DIR/train.cfg, test.cfg, template.mtp, student_wm0.mtp, student_wm$W_M.mtp, their training logs and
# DIR/teacher-student.md (the table); exit code 0 when the w_m > 0 student meets every target and has a lower
# magnetic-force error than the w_m = 0 baseline (whose pass/fail is printed too).
# Interrupted (Ctrl-C / SIGTERM: each training writes its checkpoint)? Run the same command again: the data are
# kept and each training continues from DIR/student_wm*.mtp.checkpoint. report=yes trains nothing and writes the
# table from what exists (finished students, else the checkpoints; their potentials are saved as
# student_wm*.itN.mtp, which examples/magnetic/md.sh picks up).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/env.sh"
out=$root/build/examples/magnetic/teacher-student train=200 test=100 iters=1500 wm=0.5 threads=$(nproc) report=no
for arg in "$@"; do
  case $arg in
    out=*|train=*|test=*|iters=*|wm=*|threads=*|report=*) eval "${arg%%=*}=\${arg#*=}" ;;
    *) echo "usage: $0 [out=DIR] [train=N] [test=N] [iters=N] [wm=W] [threads=N] [report=yes]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
shared="${MTPJAVA_SHARED:-$root/../shared}"
[ -d "$shared/data" ] || shared=/work/shared
teacher="$shared/data/reference/mlip3_magnetic/al_fe_mag.mtpr"
jar="${MTPJAVA_JAR:-${MTPJAVA_BUILD_DIR:-$root/java/target}/mtpjava.jar}"
[ -f "$jar" ] || "$root/scripts/mvn" -q -B package -DskipTests ${MTPJAVA_BUILD_DIR:+-Dmtpjava.buildDir=$MTPJAVA_BUILD_DIR}
cd "$out"
echo "teacher-student: teacher $teacher; $train training and $test test configurations; output in $out"
if [ -f train.cfg ] && [ -f test.cfg ] && [ -f template.mtp ]; then
  echo "teacher-student: reusing train.cfg, test.cfg and template.mtp of an earlier run in $out"
else
  java -cp "$jar" org.mtpjava.magnetic.TeacherData "$teacher" train.cfg "$train" 1 --template template.mtp
  java -cp "$jar" org.mtpjava.magnetic.TeacherData "$teacher" test.cfg "$test" 2
fi
students=()
if [ "$report" != yes ]; then
  pids=()
  for w in 0 "$wm"; do
    [ -f "student_wm$w.mtp" ] && { echo "teacher-student: student_wm$w.mtp exists (finished earlier)"; continue; }
    resume=()
    [ -f "student_wm$w.mtp.checkpoint" ] && resume=(--resume "student_wm$w.mtp.checkpoint")
    echo "teacher-student: training with --magnetic-force-weight $w (at most $iters BFGS steps after pre-training${resume:+, resumed from its checkpoint}; log train_wm$w.log) ..."
    java -Xmx3g -jar "$jar" train template.mtp train.cfg --save-to "student_wm$w.mtp" --magnetic-force-weight "$w" \
      --iteration-limit "$iters" --tolerance 1e-5 --threads "$threads" --no-plots --checkpoint-every 25 "${resume[@]}" \
      >> "train_wm$w.log" 2>&1 &
    pids+=($!)
  done
  trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait; echo "teacher-student: interrupted; rerun the same command to continue" >&2; exit 130' INT TERM
  for p in "${pids[@]}"; do wait "$p" || { echo "teacher-student: a training run failed (see train_wm*.log)" >&2; exit 1; }; done
  trap - INT TERM
  for w in 0 "$wm"; do
    echo "--magnetic-force-weight $w:"; grep -E '^main iter +[0-9]*00/|^training done|^BFGS|^step limit' "train_wm$w.log" || true
  done
fi
for w in 0 "$wm"; do
  if [ -f "student_wm$w.mtp" ]; then students+=("w_m = $w:student_wm$w.mtp")
  elif [ -f "student_wm$w.mtp.checkpoint" ]; then students+=("w_m = $w:student_wm$w.mtp.checkpoint")
  else echo "teacher-student: no student or checkpoint for w_m = $w in $out" >&2; exit 1; fi
done
set +e
java -cp "$jar" org.mtpjava.magnetic.TeacherStudentReport test.cfg "teacher:$teacher" "${students[@]}" --write-checkpoint-potentials \
  | tee teacher-student.md
rc=${PIPESTATUS[0]}
echo "teacher-student: table in $out/teacher-student.md"
exit "$rc"
