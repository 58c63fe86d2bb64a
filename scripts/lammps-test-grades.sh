# Sourced by scripts/lammps-test.sh: extrapolation grades against MLIP-3's calculate_grade, saving of
# extrapolative configurations, the break threshold and fix halt on the max grade.
echo "== extrapolation grades vs MLIP-3 calculate_grade"
l06=$kit/L06_nbh.almtp
for k in 0 1; do
  check cfg2data "$kit/L06_input.cfg" "$k" 1 "l06-$k.data" >/dev/null || fail "grades-l06-$k" "cannot convert"
  lmp "grades-l06-$k" -- -in "$tests/in.grades" -var plugin "$plugin" -var data "l06-$k.data" \
      -var style "mtpjava extrapolation" -var coeff "* * $l06 0" -var dump "grades-l06-$k.dump" -var res "grades-l06-$k.res"
  ran_ok "grades-l06-$k" $? && count "$(check grades "nbh-grades-l06-cfg$k" "grades-l06-$k.dump" "grades-l06-$k.res" \
      "$kit/L06_grade_ref.cfg" "$k" 6e-6)" "grades-l06-$k"
done
l08=$kit/L08_3sp_cfgmode.almtp
for k in 0 1 2 3 4; do
  check cfg2data "$kit/L08_holdout60_input.cfg" "$k" 3 "l08-$k.data" >/dev/null || fail "grades-l08-$k" "cannot convert"
  lmp "grades-l08-$k" -- -in "$tests/in.grades" -var plugin "$plugin" -var data "l08-$k.data" \
      -var style "mtpjava extrapolation" -var coeff "* * $l08 0 1 2" -var dump "grades-l08-$k.dump" -var res "grades-l08-$k.res"
  ran_ok "grades-l08-$k" $? && count "$(check cfggrade "cfg-grade-l08-cfg$k" "grades-l08-$k.res" \
      "$kit/L08_holdout60_grade_ref.cfg" "$k" 1e-6)" "grades-l08-$k"
done
# the same with 2 ranks: the configuration-mode rows are summed over ranks before the grade
lmp grades-l08-np2 2 -- -in "$tests/in.grades" -var plugin "$plugin" -var data l08-0.data \
    -var style "mtpjava extrapolation" -var coeff "* * $l08 0 1 2" -var dump grades-l08-np2.dump -var res grades-l08-np2.res
ran_ok grades-l08-np2 $? && count "$(check cfggrade cfg-grade-l08-cfg0-np2 grades-l08-np2.res \
    "$kit/L08_holdout60_grade_ref.cfg" 0 1e-6)" grades-l08-np2
lmp grades-l06-np2 2 -- -in "$tests/in.grades" -var plugin "$plugin" -var data l06-0.data \
    -var style "mtpjava extrapolation" -var coeff "* * $l06 0" -var dump grades-l06-np2.dump -var res grades-l06-np2.res
ran_ok grades-l06-np2 $? && count "$(check grades nbh-grades-l06-cfg0-np2 grades-l06-np2.dump grades-l06-np2.res \
    "$kit/L06_grade_ref.cfg" 0 6e-6)" grades-l06-np2

echo "== extrapolation control in MD"
# every 5 steps over 20 steps, select below the grades, break far above: 5 saved configurations
lmp select-md 2 -- -in "$tests/in.extrapolation-md" -var plugin "$plugin" -var data l06-0.data -var mass 6.94 \
    -var style "mtpjava extrapolation select 0.5 break 1000 dump $out/select-md.cfg every 5" -var coeff "* * $l06 0" \
    -var steps 20
ran_ok select-md $? && count "$(check dumpfile saved-configurations select-md.cfg 5 128)" select-md
# break: the grade (about 1) is above 0.9 at step 0 -> saved once, then a clean collective stop
lmp break 2 -- -in "$tests/in.extrapolation-md" -var plugin "$plugin" -var data l06-0.data -var mass 6.94 \
    -var style "mtpjava extrapolation select 0.5 break 0.9 dump $out/break.cfg" -var coeff "* * $l06 0" -var steps 20
rc=$?
if [ "$rc" != 0 ] && grep -q '^ERROR.*exceeds the break threshold 0.9 at step 0' break.out \
   && ! grep -qE 'MPI_ABORT|Segmentation|hs_err' break.out; then
  pass break-threshold "$(grep -m1 '^ERROR' break.out | cut -c1-160)"
else
  fail break-threshold "exit $rc: $(grep -m1 -E '^ERROR|MPI_ABORT' break.out || tail -2 break.out)"
fi
count "$(check dumpfile break-saved-first break.cfg 1 128)" break
# fix halt on the max grade from compute pair, as an alternative to the built-in break
lmp halt -- -in "$tests/in.extrapolation-md" -var plugin "$plugin" -var data l06-0.data -var mass 6.94 \
    -var style "mtpjava extrapolation" -var coeff "* * $l06 0" -var steps 20 \
    -var halt "fix stop all halt 1 v_grade > 0.5 error soft"
rc=$?
if [ "$rc" = 0 ] && grep -q 'Fix halt condition' halt.out; then
  pass fix-halt-on-grade "$(grep -m1 'Fix halt condition' halt.out | cut -c1-160)"
else
  fail fix-halt-on-grade "exit $rc: $(grep -m1 -E '^ERROR' halt.out || tail -2 halt.out)"
fi
