/* The C ABI between the LAMMPS plugin and the Java side of mtpjava (org.mtpjava.bridge).
 *
 * After one JNI bootstrap call, every interaction is a direct call through a function pointer that Java
 * filled into mtpj_api (FFM upcall stubs). The structs below are read and written by Java in place: their
 * layout is mirrored by org.mtpjava.bridge.FrameLayout, checked field by field at bootstrap (the shim passes
 * offsetof() of every field) and by a test that compiles this header. Any change to a struct: bump
 * MTPJ_ABI_VERSION and update FrameLayout.
 *
 * All pointers are owned by the caller and valid only for the duration of one call: Java never keeps them.
 * All fields are naturally aligned; no padding is implied anywhere except where an explicit pad field is.
 */
#ifndef MTPJAVA_FRAME_H
#define MTPJAVA_FRAME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MTPJ_ABI_VERSION 2

/* mode of mtpj_magnetic */
#define MTPJ_MAGMOM_FIXED 1 /* moments as given: E, F, virial at fixed moments, plus dE/dm */
#define MTPJ_MAGMOM_RELAX 2 /* moments relaxed to the minimum of E at fixed positions first (L-BFGS, warm start) */

/* grade_mode of mtpj_frame */
#define MTPJ_GRADE_NONE 0          /* no grades this step */
#define MTPJ_GRADE_NEIGHBOURHOOD 1 /* per-atom grades into grade[], local maximum into max_grade */
#define MTPJ_GRADE_CONFIGURATION 2 /* sum of dV_i/dtheta over local atoms into dedtheta[] (C sums ranks) */

/* One compute() call: LAMMPS's own arrays, read and written in place (no copies). */
typedef struct mtpj_frame {
  int64_t abi_version;     /* MTPJ_ABI_VERSION */
  int64_t handle;          /* the Java model made by mtpj_api.create */
  int32_t nlocal;          /* owned atoms */
  int32_t nghost;          /* ghost atoms; arrays below indexed by atom have nlocal + nghost entries */
  int32_t inum;            /* entries in ilist */
  int32_t ntypes;          /* LAMMPS atom types (types are 1..ntypes) */
  int32_t neighmask;       /* the host LAMMPS's NEIGHMASK (it differs between versions) */
  int32_t eflag_global;    /* 1: return the energy sum in energy */
  int32_t eflag_atom;      /* 1: eatom[i] += V_i */
  int32_t vflag_global;    /* 1: fdotr is off, sum the global virial into virial[] */
  int32_t vflag_atom;      /* 1: per-atom virial into vatom (half to each atom of a pair) */
  int32_t grade_mode;      /* MTPJ_GRADE_* */
  const int32_t *ilist;    /* [inum] local atoms to evaluate */
  const int32_t *numneigh; /* [nlocal + nghost], indexed by atom */
  int32_t *const *firstneigh; /* per atom a row of numneigh[i] neighbour indices, masked with neighmask */
  const double *x;         /* [nlocal + nghost][3]; NULL on an empty rank */
  const int32_t *type;     /* [nlocal + nghost], 1-based LAMMPS types */
  double *f;               /* [nlocal + nghost][3], accumulated (+=); ghosts are reverse-communicated */
  double *eatom;           /* [nlocal + nghost] or NULL */
  double *vatom;           /* [nlocal + nghost][6] (xx yy zz xy xz yz) or NULL */
  double *grade;           /* [nlocal] per-atom grade output (neighbourhood mode) or NULL */
  double *dedtheta;        /* [nparams] configuration-mode output (overwritten) or NULL */
  double energy;           /* out: sum of site energies of the atoms in ilist */
  double virial[6];        /* out (only if vflag_global): xx yy zz xy xz yz, eV */
  double max_grade;        /* out: maximum grade over local atoms (neighbourhood mode) */
  double kernel_seconds;   /* out: time spent in the site-energy (and grade) kernels during this call */
  double java_seconds;     /* out: time spent in the whole Java call */
} mtpj_frame;

/* pair_coeff time: load a potential and map LAMMPS types to its species. */
typedef struct mtpj_setup {
  int64_t abi_version;
  const char *potential_file;   /* path as given in the input */
  const char *species_names;    /* names of the potential's species in index order, space separated; or NULL */
  const char *type_species;     /* ntypes tokens from pair_coeff (index, name or NULL), space separated */
  int32_t ntypes;
  int32_t want_grades;          /* 1: extrapolation requested, the file must carry an active set */
  int32_t comm_rank;
  int32_t comm_size;
  /* outputs */
  int64_t handle;               /* > 0 on success */
  double cutoff;                /* the potential's cutoff (max_dist), Angstrom */
  int32_t nspecies;
  int32_t grade_kind;           /* MTPJ_GRADE_NEIGHBOURHOOD or MTPJ_GRADE_CONFIGURATION if want_grades */
  int32_t nparams;              /* length of dedtheta in configuration mode */
  int32_t magnetic_size;        /* out: M of a magnetic MTP (>= 1), 0 for a non-magnetic one */
  char *message;                /* error text on failure, a one-line summary on success */
  int64_t message_capacity;
  double magnetic_min;          /* out: magnetic interval [min_val, max_val] of a magnetic MTP */
  double magnetic_max;
} mtpj_setup;

/* A magnetic compute() (collinear moments, issue 9). Passed with the frame to mtpj_api.magnetic_compute. The
   callbacks are collective (every rank calls them the same number of times, in the same order): Java calls them
   while it relaxes the moments. */
typedef struct mtpj_magnetic {
  int64_t abi_version;
  int32_t mode;                 /* MTPJ_MAGMOM_FIXED or MTPJ_MAGMOM_RELAX */
  int32_t allow_flips;          /* relax: moments may change sign */
  int32_t max_iterations;       /* relax: L-BFGS steps at most */
  int32_t memory;               /* relax: L-BFGS correction pairs */
  double tolerance;             /* relax: converged when max |dE/dm| over free moments <= this (eV/muB) */
  double max_step;              /* relax: largest change of a moment per step (muB) */
  double *magmom;               /* [nlocal + nghost] collinear moments; relax updates them (ghosts via forward_comm) */
  double *dedm;                 /* [nlocal + nghost] out: dE/dm, local and ghost contributions (C reverse-communicates) */
  void *context;                /* passed back to the callbacks */
  int32_t (*forward_comm)(void *context);  /* ghost magmom := owner's magmom */
  int32_t (*reverse_comm)(void *context);  /* owner dedm += ghost dedm */
  int32_t (*allreduce)(void *context, double *values, int32_t count, int32_t op); /* op 0: sum, 1: max */
  int32_t iterations;           /* out (relax) */
  int32_t evaluations;          /* out (relax) */
  int32_t converged;            /* out: 1 if the relaxation converged (always 1 for fixed moments) */
  int32_t at_bounds;            /* out: moments held by their sign or the interval */
  double max_dedm;              /* out: max |dE/dm| over free moments after the relaxation (all ranks) */
  double energy_change;         /* out: E(relaxed) - E(start) over all ranks (relax) */
} mtpj_magnetic;

/* An extrapolative configuration gathered on rank 0, to append to the dump file in MLIP .cfg format. */
typedef struct mtpj_snapshot {
  int64_t handle;
  int64_t natoms;
  int64_t timestep;
  const int64_t *ids;           /* [natoms] LAMMPS atom IDs */
  const int32_t *types;         /* [natoms] LAMMPS types (Java maps them to species) */
  const double *x;              /* [natoms][3] unwrapped or wrapped positions, Angstrom */
  const double *grade;          /* [natoms] per-atom grades, or NULL (configuration mode) */
  const char *path;             /* file to append to */
  double cell[9];               /* lattice vectors as rows: a, b, c */
  double origin[3];             /* box origin (positions are written relative to it) */
  double max_grade;
} mtpj_snapshot;

/* The functions the Java side provides (filled by the bootstrap call). All return 0 on success. */
typedef struct mtpj_api {
  /* filled by C before bootstrap */
  int64_t abi_version;
  /* "struct.field" -> offsetof, plus "struct" -> sizeof, for every struct in this header;
     Java refuses to run unless each matches its own FrameLayout */
  const char *const *layout_names;
  const int64_t *layout_values;
  int64_t layout_count;
  char *message;                /* bootstrap error text */
  int64_t message_capacity;
  /* filled by Java */
  int32_t (*create)(mtpj_setup *setup);
  int32_t (*compute)(mtpj_frame *frame);
  /* the message of the last failure of compute/append_cfg/config_grade for this handle */
  int32_t (*last_error)(int64_t handle, char *buffer, int64_t capacity);
  int32_t (*release)(int64_t handle);
  int32_t (*append_cfg)(const mtpj_snapshot *snapshot);
  /* configuration-mode grade from the rank-summed dedtheta */
  int32_t (*config_grade)(int64_t handle, const double *dedtheta_sum, int64_t natoms, double *grade);
  const char *java_version;     /* static text owned by Java, e.g. "25.0.3+9" */
  /* compute() of a magnetic MTP: as compute, plus moments in and dE/dm out (ABI 2) */
  int32_t (*magnetic_compute)(mtpj_frame *frame, mtpj_magnetic *magnetic);
} mtpj_api;

#ifdef __cplusplus
}
#endif

#endif
