# Sourced by scripts/lammps-test.sh: deliberate bad inputs, each must give exactly one clear LAMMPS error
# (non-zero exit, one "ERROR" line containing the expected text) and no crash.
echo "== bad inputs: one clear LAMMPS error each"
quartz_data=$shared/data/lammps_ml_mtp/data.quartz
echo "this is not a jar" >not-a.jar

# bad NAME EXPECTED-TEXT [env VAR=VALUE ...] -- LAMMPS -var arguments
bad() {
  local name=$1 expected=$2
  shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$MTPJAVA_LMP" -in "$tests/in.error" -log "err-$name.log" -var plugin "$plugin" \
      -var data "$quartz_data" "$@" >"err-$name.out" 2>&1
  local rc=$?
  local errors
  errors=$(grep -c '^ERROR' "err-$name.out")
  if grep -qE 'Segmentation|SIGSEGV|hs_err|Unrecoverable|core dumped|Exception in thread|A fatal error' "err-$name.out"; then
    fail "error-$name" "crashed: $(grep -m1 -E 'Segmentation|SIGSEGV|hs_err|Unrecoverable|core dumped|Exception|fatal' "err-$name.out")"
  elif [ "$rc" = 0 ]; then
    fail "error-$name" "LAMMPS exited with 0"
  elif [ "$errors" != 1 ]; then
    fail "error-$name" "expected one ERROR line, got $errors (exit $rc): $(tail -2 "err-$name.out" | tr '\n' ' ')"
  elif ! grep '^ERROR' "err-$name.out" | grep -qF -- "$expected"; then
    fail "error-$name" "the ERROR line lacks '$expected': $(grep -m1 '^ERROR' "err-$name.out")"
  else
    pass "error-$name" "$(grep -m1 '^ERROR' "err-$name.out" | cut -c1-220)"
  fi
}

jdk17=$(for d in /usr/lib/jvm/*/; do v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release" 2>/dev/null)
        if [ "${v:-0}" -ge 11 ] && [ "${v:-0}" -lt 25 ] && [ -f "$d/lib/server/libjvm.so" ]; then echo "$d"; break; fi; done)

bad missing-potential "file not found" -- -var style mtpjava -var coeff "* * /nonexistent/SiO.mtp 0 1"
bad wrong-element "element Xx is not a species" -- -var style "mtpjava species Si O" -var coeff "* * $sio Si Xx"
bad null-type "NULL" -- -var style mtpjava -var coeff "* * $sio 0 NULL"
bad names-undeclared "carries no element names" -- -var style mtpjava -var coeff "* * $sio Si O"
bad species-count "needs the potential file and 2 species entries" -- -var style mtpjava -var coeff "* * $sio 0"
bad index-range "species index 5 is outside 0..1" -- -var style mtpjava -var coeff "* * $sio 0 5"
bad species-list "species lists 3 names" -- -var style "mtpjava species Si O Ge" -var coeff "* * $sio Si O"
bad newton-off "requires newton pair on" -- -var style mtpjava -var coeff "* * $sio 0 1" -var newton off
bad missing-jar "jar /nonexistent/mtpjava.jar (from pair_style jar) does not exist" -- \
    -var style "mtpjava jar /nonexistent/mtpjava.jar" -var coeff "* * $sio 0 1"
bad not-a-jar "not found in classpath" -- -var style "mtpjava jar $out/not-a.jar" -var coeff "* * $sio 0 1"
bad missing-jvm "libjvm /nonexistent/libjvm.so (from MTPJAVA_LIBJVM) does not exist" MTPJAVA_LIBJVM=/nonexistent/libjvm.so -- \
    -var style mtpjava -var coeff "* * $sio 0 1"
if [ -n "$jdk17" ]; then
  bad old-jvm "mtpjava needs JDK 25 or newer" MTPJAVA_LIBJVM="${jdk17%/}/lib/server/libjvm.so" -- \
      -var style mtpjava -var coeff "* * $sio 0 1"
fi
bad no-active-set "extrapolation needs an active set" -- -var style "mtpjava extrapolation select 2 break 10" \
    -var coeff "* * $sio 0 1"
bad unknown-keyword "unknown keyword selekt" -- -var style "mtpjava extrapolation selekt 2" -var coeff "* * $sio 0 1"
bad bad-jvm-option "an option was rejected" MTPJAVA_JVM_OPTIONS=-XX:+NoSuchJvmOption -- -var style mtpjava -var coeff "* * $sio 0 1"

# the JNI part (the bootstrap) under -Xcheck:jni: no JNI warning, same energy as without
MTPJAVA_JVM_OPTIONS=-Xcheck:jni "$MTPJAVA_LMP" -in "$tests/in.error" -log none -var plugin "$plugin" -var data "$quartz_data" \
    -var style mtpjava -var coeff "* * $sio 0 1" >xcheck.out 2>&1
rc=$?
if [ "$rc" = 0 ] && ! grep -qi 'warning.*jni\|JNI warning\|FATAL ERROR in native method' xcheck.out; then
  pass xcheck-jni "run 0 under -Xcheck:jni without JNI warnings"
else
  fail xcheck-jni "exit $rc: $(grep -m1 -i 'jni\|error' xcheck.out)"
fi
