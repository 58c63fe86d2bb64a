/* Every field of the structs in mtpjava_frame.h, as an X-macro list: used by the shim to pass offsets to
   Java at bootstrap and by the layout test program. Keep in sync with mtpjava_frame.h (the compiler checks
   that each name exists; FrameLayout.java checks that Java agrees). */
#ifndef MTPJAVA_LAYOUT_H
#define MTPJAVA_LAYOUT_H

#include "mtpjava_frame.h"

#define MTPJ_LAYOUT_STRUCTS(S) S(mtpj_frame) S(mtpj_setup) S(mtpj_snapshot) S(mtpj_api) S(mtpj_magnetic)

#define MTPJ_LAYOUT_FIELDS(F) \
  F(mtpj_frame, abi_version) F(mtpj_frame, handle) F(mtpj_frame, nlocal) F(mtpj_frame, nghost) \
  F(mtpj_frame, inum) F(mtpj_frame, ntypes) F(mtpj_frame, neighmask) F(mtpj_frame, eflag_global) \
  F(mtpj_frame, eflag_atom) F(mtpj_frame, vflag_global) F(mtpj_frame, vflag_atom) F(mtpj_frame, grade_mode) \
  F(mtpj_frame, ilist) F(mtpj_frame, numneigh) F(mtpj_frame, firstneigh) F(mtpj_frame, x) F(mtpj_frame, type) \
  F(mtpj_frame, f) F(mtpj_frame, eatom) F(mtpj_frame, vatom) F(mtpj_frame, grade) F(mtpj_frame, dedtheta) \
  F(mtpj_frame, energy) F(mtpj_frame, virial) F(mtpj_frame, max_grade) F(mtpj_frame, kernel_seconds) \
  F(mtpj_frame, java_seconds) \
  F(mtpj_setup, abi_version) F(mtpj_setup, potential_file) F(mtpj_setup, species_names) \
  F(mtpj_setup, type_species) F(mtpj_setup, ntypes) F(mtpj_setup, want_grades) F(mtpj_setup, comm_rank) \
  F(mtpj_setup, comm_size) F(mtpj_setup, handle) F(mtpj_setup, cutoff) F(mtpj_setup, nspecies) \
  F(mtpj_setup, grade_kind) F(mtpj_setup, nparams) F(mtpj_setup, message) F(mtpj_setup, message_capacity) \
  F(mtpj_setup, magnetic_size) F(mtpj_setup, magnetic_min) F(mtpj_setup, magnetic_max) \
  F(mtpj_snapshot, handle) F(mtpj_snapshot, natoms) F(mtpj_snapshot, timestep) F(mtpj_snapshot, ids) \
  F(mtpj_snapshot, types) F(mtpj_snapshot, x) F(mtpj_snapshot, grade) F(mtpj_snapshot, path) \
  F(mtpj_snapshot, cell) F(mtpj_snapshot, origin) F(mtpj_snapshot, max_grade) \
  F(mtpj_api, abi_version) F(mtpj_api, layout_names) F(mtpj_api, layout_values) F(mtpj_api, layout_count) \
  F(mtpj_api, message) F(mtpj_api, message_capacity) F(mtpj_api, create) F(mtpj_api, compute) \
  F(mtpj_api, last_error) F(mtpj_api, release) F(mtpj_api, append_cfg) F(mtpj_api, config_grade) \
  F(mtpj_api, java_version) F(mtpj_api, magnetic_compute) \
  F(mtpj_magnetic, abi_version) F(mtpj_magnetic, mode) F(mtpj_magnetic, allow_flips) F(mtpj_magnetic, max_iterations) \
  F(mtpj_magnetic, memory) F(mtpj_magnetic, tolerance) F(mtpj_magnetic, max_step) F(mtpj_magnetic, magmom) \
  F(mtpj_magnetic, dedm) F(mtpj_magnetic, context) F(mtpj_magnetic, forward_comm) F(mtpj_magnetic, reverse_comm) \
  F(mtpj_magnetic, allreduce) F(mtpj_magnetic, iterations) F(mtpj_magnetic, evaluations) F(mtpj_magnetic, converged) \
  F(mtpj_magnetic, at_bounds) F(mtpj_magnetic, max_dedm) F(mtpj_magnetic, energy_change)

#endif
