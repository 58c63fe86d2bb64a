# A bcc Fe-Al cell with collinear moments in `fix property/atom d_magmom` (written to the data file, section MAG).
# -var n REPEATS -var a LATTICE -var seed S -var mlo M0 -var mhi M1 -var out FILE.data [-var plain yes: no moments]
variable        n index 3
variable        a index 2.87
variable        seed index 4711
variable        plain index no
units           metal
atom_style      atomic
atom_modify     map array
lattice         bcc ${a}
region          box block 0 ${n} 0 ${n} 0 ${n}
create_box      2 box
create_atoms    1 box
mass            1 55.845
mass            2 26.98
set             type 1 type/fraction 2 0.5 ${seed}
displace_atoms  all random 0.05 0.05 0.05 ${seed} units box
fix             MAG all property/atom d_magmom d_dedm ghost yes
# deterministic pseudo-random moments (an atom-style random() would differ between rank counts)
variable        m atom ${mlo}+(${mhi}-${mlo})*(0.5+0.5*sin(7.3*x+3.1*y+5.7*z))
set             group all d_magmom v_m
if "${plain} == yes" then "unfix MAG"
write_data      ${out}
