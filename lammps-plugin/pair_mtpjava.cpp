/* pair_style mtpjava: see pair_mtpjava.h and docs/lammps.md. */
#include "pair_mtpjava.h"

#include "mtpjava_frame.h"
#include "mtpjava_shim.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neigh_list.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"
#if MTPJ_LAMMPS_VERSION < 20220324
#include "neigh_request.h"
#endif

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

using namespace LAMMPS_NS;

namespace {

double seconds_now()
{
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

bool is_keyword(const std::string &word)
{
  static const char *const keywords[] = {"jar",    "classpath", "libjvm", "species", "extrapolation",
                                         "select", "break",     "dump",   "every",   "magmom",
                                         "magmom_tolerance", "magmom_iterations", "magmom_flips",
                                         "magmom_max_step", "magmom_property", "dedm_property"};
  for (const char *k : keywords)
    if (word == k) return true;
  return false;
}

bool looks_like_file(const std::string &word)
{
  return word.find('.') != std::string::npos || word.find('/') != std::string::npos || utils::file_is_readable(word);
}

// VmHWM / VmRSS of this process in MB (for the optional statistics line)
double status_mb(const char *key)
{
  FILE *in = fopen("/proc/self/status", "r");
  if (!in) return -1;
  char line[256];
  double kb = -1;
  size_t len = strlen(key);
  while (fgets(line, sizeof line, in))
    if (strncmp(line, key, len) == 0) kb = atof(line + len + 1);
  fclose(in);
  return kb / 1024.0;
}

}    // namespace

PairMTPJava::PairMTPJava(LAMMPS *lmp) : Pair(lmp)
{
  single_enable = 0;
  restartinfo = 0;    // the input re-creates the style after read_restart, as for other ML styles
  one_coeff = 1;
  manybody_flag = 1;
  centroidstressflag = CENTROID_NOTAVAIL;
  // pvector: [0] max extrapolation grade (rank 0 holds it, others 0, so `compute pair` sums to the max),
  // [1] pair compute() seconds, [2] Java call seconds, [3] Java kernel seconds, [4] JVM start-up seconds,
  // magnetic relaxation of the last step (rank 0 holds them): [5] L-BFGS iterations, [6] energy evaluations,
  // [7] max |dE/dm| of free moments (eV/muB), [8] 1 if converged, [9] steps not converged so far
  nextra = 10;
  pvector = new double[nextra];
  for (int k = 0; k < nextra; k++) pvector[k] = 0.0;
  rank = comm->me;
  comm_forward = 1;    // moments to ghosts (magnetic MTP)
  comm_reverse = 1;    // dE/dm of ghosts to their owners
  magmom_name = "magmom";
  dedm_name = "dedm";
}

PairMTPJava::~PairMTPJava()
{
  if (getenv("MTPJAVA_STATS") && compute_calls > 0)
    fprintf(stderr,
            "mtpjava-stats rank %d: calls %lld pair %.6f s java %.6f s kernel %.6f s jvm-startup %.1f ms "
            "VmHWM %.1f MB VmRSS %.1f MB\n",
            rank, compute_calls, time_pair, time_java, time_kernel, pvector[4] * 1e3, status_mb("VmHWM:"),
            status_mb("VmRSS:"));
  release_model();
  delete[] pvector;
  memory->destroy(own_grade);
  memory->destroy(own_dedm);
  delete[] dedtheta;
  delete[] dedtheta_sum;
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
  }
}

void PairMTPJava::release_model()
{
  if (java && handle) java->release(handle);
  handle = 0;
}

[[noreturn]] void PairMTPJava::java_failed(const char *what)
{
  char message[8192] = "";
  if (java && handle) java->last_error(handle, message, sizeof message);
  error->one(FLERR, fmt::format("mtpjava: {} failed in Java: {}", what, message[0] ? message : "(no message)"));
}

/* ---------------------------------------------------------------------- */

void PairMTPJava::settings(int narg, char **arg)
{
  jar.clear();
  libjvm.clear();
  species_names.clear();
  extrapolation = false;
  extrapolation_file.clear();
  dump_file.clear();
  select_threshold = 2.1;
  break_threshold = 10.0;
  grade_every = 1;
  magmom_mode = 0;
  magmom_name = "magmom";
  dedm_name = "dedm";
  magmom_tolerance = 1e-6;
  magmom_max_step = 0.5;
  magmom_iterations = 200;
  magmom_flips = 0;
  bool select_given = false, break_given = false, magmom_option_given = false;

  int iarg = 0;
  auto value = [&](const char *key) -> const char * {
    if (iarg + 1 >= narg) error->all(FLERR, fmt::format("pair_style mtpjava: keyword {} needs a value", key));
    return arg[iarg + 1];
  };
  while (iarg < narg) {
    std::string key = arg[iarg];
    if (key == "jar" || key == "classpath") {
      jar = value("jar");
      iarg += 2;
    } else if (key == "libjvm") {
      libjvm = value("libjvm");
      iarg += 2;
    } else if (key == "species") {
      iarg++;
      while (iarg < narg && !is_keyword(arg[iarg])) {
        if (!species_names.empty()) species_names += ' ';
        species_names += arg[iarg++];
      }
      if (species_names.empty()) error->all(FLERR, "pair_style mtpjava: species needs the potential's species names in index order");
    } else if (key == "extrapolation") {
      extrapolation = true;
      iarg++;
      // an optional potential file: anything that is no keyword and looks like a file name
      if (iarg < narg && !is_keyword(arg[iarg]) && looks_like_file(arg[iarg])) extrapolation_file = arg[iarg++];
    } else if (key == "select") {
      select_threshold = utils::numeric(FLERR, value("select"), false, lmp);
      select_given = true;
      iarg += 2;
    } else if (key == "break") {
      break_threshold = utils::numeric(FLERR, value("break"), false, lmp);
      break_given = true;
      iarg += 2;
    } else if (key == "dump") {
      dump_file = value("dump");
      iarg += 2;
    } else if (key == "every") {
      grade_every = utils::inumeric(FLERR, value("every"), false, lmp);
      if (grade_every < 1) error->all(FLERR, "pair_style mtpjava: every must be >= 1");
      iarg += 2;
    } else if (key == "magmom") {
      std::string v = value("magmom");
      if (v == "fixed") magmom_mode = MTPJ_MAGMOM_FIXED;
      else if (v == "relax") magmom_mode = MTPJ_MAGMOM_RELAX;
      else error->all(FLERR, fmt::format("pair_style mtpjava: magmom must be fixed or relax, got {}", v));
      iarg += 2;
    } else if (key == "magmom_tolerance") {
      magmom_tolerance = utils::numeric(FLERR, value("magmom_tolerance"), false, lmp);
      if (magmom_tolerance <= 0) error->all(FLERR, "pair_style mtpjava: magmom_tolerance must be > 0");
      magmom_option_given = true;
      iarg += 2;
    } else if (key == "magmom_iterations") {
      magmom_iterations = utils::inumeric(FLERR, value("magmom_iterations"), false, lmp);
      if (magmom_iterations < 0) error->all(FLERR, "pair_style mtpjava: magmom_iterations must be >= 0");
      magmom_option_given = true;
      iarg += 2;
    } else if (key == "magmom_max_step") {
      magmom_max_step = utils::numeric(FLERR, value("magmom_max_step"), false, lmp);
      if (magmom_max_step <= 0) error->all(FLERR, "pair_style mtpjava: magmom_max_step must be > 0");
      magmom_option_given = true;
      iarg += 2;
    } else if (key == "magmom_flips") {
      std::string v = value("magmom_flips");
      if (v == "yes" || v == "on" || v == "true") magmom_flips = 1;
      else if (v == "no" || v == "off" || v == "false") magmom_flips = 0;
      else error->all(FLERR, fmt::format("pair_style mtpjava: magmom_flips must be yes or no, got {}", v));
      magmom_option_given = true;
      iarg += 2;
    } else if (key == "magmom_property") {
      magmom_name = value("magmom_property");
      if (magmom_name.rfind("d_", 0) == 0) magmom_name = magmom_name.substr(2);
      iarg += 2;
    } else if (key == "dedm_property") {
      dedm_name = value("dedm_property");
      if (dedm_name.rfind("d_", 0) == 0) dedm_name = dedm_name.substr(2);
      iarg += 2;
    } else {
      error->all(FLERR, fmt::format("pair_style mtpjava: unknown keyword {} (expected jar, libjvm, species, "
                                    "extrapolation, select, break, dump, every, magmom, magmom_tolerance, "
                                    "magmom_iterations, magmom_max_step, magmom_flips, magmom_property, "
                                    "dedm_property)", key));
    }
  }
  if (!extrapolation && (select_given || break_given || !dump_file.empty()))
    error->all(FLERR, "pair_style mtpjava: select/break/dump need the extrapolation keyword");
  if (extrapolation && select_threshold <= 0) error->all(FLERR, "pair_style mtpjava: select must be > 0");
  if (extrapolation && break_threshold <= select_threshold && !dump_file.empty())
    error->all(FLERR, "pair_style mtpjava: break must be larger than select");
  if (magmom_option_given && magmom_mode != MTPJ_MAGMOM_RELAX)
    error->all(FLERR, "pair_style mtpjava: magmom_tolerance/iterations/max_step/flips need magmom relax");
  if (magmom_mode && extrapolation)
    error->all(FLERR, "pair_style mtpjava: extrapolation grades are not available with magnetic moments (magmom)");

  start_java();
}

void PairMTPJava::start_java()
{
  mtpj_jvm_request request{libjvm.empty() ? nullptr : libjvm.c_str(), jar.empty() ? nullptr : jar.c_str(), nullptr};
  char message[8192] = "";
  java = mtpj_start(&request, message, sizeof message);
  // every rank sees the same files and settings, so a failure here is collective
  if (!java) error->all(FLERR, fmt::format("mtpjava: cannot start Java: {}", message));
  pvector[4] = mtpj_startup_ms() * 1e-3;
  if (comm->me == 0 && mtpj_startup_ms() > 0) utils::logmesg(lmp, fmt::format("mtpjava: {}\n", mtpj_describe()));
}

/* ----------------------------------------------------------------------
   pair_coeff * * [potential] <per-type species: index, or name with `species`/atomic-number labels>
------------------------------------------------------------------------- */

void PairMTPJava::coeff(int narg, char **arg)
{
  if (!java) error->all(FLERR, "mtpjava: pair_coeff before pair_style");
  int ntypes = atom->ntypes;
  if (narg < 2 || strcmp(arg[0], "*") != 0 || strcmp(arg[1], "*") != 0)
    error->all(FLERR, "pair_coeff for mtpjava must start with * * (one call covers all type pairs)");

  std::string potential;
  int first_type_arg = 2;
  if (narg == 3 + ntypes) {
    potential = arg[2];
    first_type_arg = 3;
    if (extrapolation && !extrapolation_file.empty() && potential != extrapolation_file)
      error->all(FLERR, fmt::format("mtpjava: pair_coeff names {} but pair_style extrapolation names {}",
                                    potential, extrapolation_file));
  } else if (narg == 2 + ntypes && !extrapolation_file.empty()) {
    potential = extrapolation_file;
  } else {
    error->all(FLERR, fmt::format("pair_coeff * * needs the potential file and {} species entries, one per "
                                  "atom type (got {} entries after * *)", ntypes, narg - 2));
  }

  std::string type_species;
  for (int k = first_type_arg; k < narg; k++) {
    if (!type_species.empty()) type_species += ' ';
    type_species += arg[k];
  }

  release_model();
  char message[8192] = "";
  mtpj_setup setup;
  memset(&setup, 0, sizeof setup);
  setup.abi_version = MTPJ_ABI_VERSION;
  setup.potential_file = potential.c_str();
  setup.species_names = species_names.empty() ? nullptr : species_names.c_str();
  setup.type_species = type_species.c_str();
  setup.ntypes = ntypes;
  setup.want_grades = extrapolation ? 1 : 0;
  setup.comm_rank = comm->me;
  setup.comm_size = comm->nprocs;
  setup.message = message;
  setup.message_capacity = sizeof message;
  if (java->create(&setup) != 0 || setup.handle <= 0)
    error->all(FLERR, fmt::format("mtpjava: {}", message[0] ? message : "loading the potential failed"));
  handle = setup.handle;
  cutoff = setup.cutoff;
  magnetic_size = setup.magnetic_size;
  magnetic_min = setup.magnetic_min;
  magnetic_max = setup.magnetic_max;
  if (magnetic_size > 0 && !magmom_mode) {
    release_model();
    error->all(FLERR, fmt::format("mtpjava: {} is a magnetic MTP (magnetic basis size {}, moments in [{}, {}]): "
                                  "add 'magmom fixed' or 'magmom relax' to pair_style mtpjava and give the moments in "
                                  "a per-atom property (fix property/atom d_{} ghost yes)", potential, magnetic_size,
                                  magnetic_min, magnetic_max, magmom_name));
  }
  if (magnetic_size == 0 && magmom_mode) {
    release_model();
    error->all(FLERR, fmt::format("mtpjava: pair_style has magmom but {} is not a magnetic MTP (no magnetic_basis_type)",
                                  potential));
  }
  grade_kind = setup.grade_kind;
  nparams = setup.nparams;
  if (comm->me == 0) utils::logmesg(lmp, fmt::format("mtpjava: {}\n", message));

  delete[] dedtheta;
  delete[] dedtheta_sum;
  dedtheta = dedtheta_sum = nullptr;
  if (extrapolation && grade_kind == MTPJ_GRADE_CONFIGURATION) {
    dedtheta = new double[nparams];
    dedtheta_sum = new double[nparams];
  }

  if (!allocated) {
    allocated = 1;
    int n = ntypes + 1;
    memory->create(setflag, n, n, "pair:setflag");
    memory->create(cutsq, n, n, "pair:cutsq");
  }
  for (int i = 1; i <= ntypes; i++)
    for (int j = i; j <= ntypes; j++) setflag[i][j] = 1;
}

void PairMTPJava::init_style()
{
  if (force->newton_pair == 0) error->all(FLERR, "pair_style mtpjava requires newton pair on");
  if (!handle) error->all(FLERR, "pair_style mtpjava: no potential loaded (pair_coeff * * file ... missing)");
  if (extrapolation && !dump_file.empty() && !atom->tag_enable)
    error->all(FLERR, "pair_style mtpjava: saving extrapolative configurations needs atom IDs");

  char message[2048];
  if (mtpj_check_signal_handlers(message, sizeof message)) error->all(FLERR, fmt::format("mtpjava: {}", message));

#if MTPJ_LAMMPS_VERSION >= 20220324
  neighbor->add_request(this, NeighConst::REQ_FULL);
#else
  int irequest = neighbor->request(this, instance_me);
  neighbor->requests[irequest]->half = 0;
  neighbor->requests[irequest]->full = 1;
#endif

  if (magmom_mode) {
    int mflag = 0, mcols = 0;
    magmom_index = atom->find_custom(magmom_name.c_str(), mflag, mcols);
    if (magmom_index < 0 || mflag != 1 || mcols != 0)
      error->all(FLERR, fmt::format("pair_style mtpjava magmom: the moments need a per-atom double property "
                                    "d_{0} (e.g. fix MAGMOM all property/atom d_{0} ghost yes, then set or read_data "
                                    "... fix MAGMOM NULL Magmoms)", magmom_name));
    dedm_index = atom->find_custom(dedm_name.c_str(), mflag, mcols);
    if (dedm_index >= 0 && (mflag != 1 || mcols != 0)) dedm_index = -1;
    if (comm->me == 0)
      utils::logmesg(lmp, fmt::format("mtpjava: magnetic MTP (M = {}, interval [{}, {}]); moments from d_{}, {}{}\n",
                                      magnetic_size, magnetic_min, magnetic_max, magmom_name,
                                      magmom_mode == MTPJ_MAGMOM_FIXED ? "held fixed" :
                                      fmt::format("relaxed every step (L-BFGS, tolerance {} eV/muB, at most {} "
                                                  "iterations, max step {} muB, flips {})", magmom_tolerance,
                                                  magmom_iterations, magmom_max_step, magmom_flips ? "allowed" : "not allowed"),
                                      dedm_index >= 0 ? fmt::format("; dE/dm into d_{}", dedm_name) : ""));
  }

  // per-atom grades go to `fix property/atom d_gamma` if the input defines one
  int flag = 0, cols = 0;
  grade_property = atom->find_custom("gamma", flag, cols);
  if (grade_property >= 0 && (flag != 1 || cols != 0)) grade_property = -1;
  if (extrapolation && comm->me == 0)
    utils::logmesg(lmp, fmt::format("mtpjava: extrapolation grades ({} mode) every {} step(s); select {}, break {}"
                                    "{}{}\n", grade_kind == MTPJ_GRADE_CONFIGURATION ? "configuration" :
                                    "neighbourhood", grade_every, select_threshold, break_threshold,
                                    dump_file.empty() ? ", no dump" : ", dump to " + dump_file,
                                    grade_property >= 0 ? ", per-atom grades in d_gamma" : ""));
}

double PairMTPJava::init_one(int, int)
{
  return cutoff;
}

double *PairMTPJava::grade_array()
{
  if (grade_property >= 0) return atom->dvector[grade_property];
  if (atom->nmax > own_grade_max) {
    own_grade_max = atom->nmax;
    memory->destroy(own_grade);
    memory->create(own_grade, own_grade_max, "pair:mtpjava_grade");
  }
  return own_grade;
}

/* ---------------------------------------------------------------------- */

void PairMTPJava::compute(int eflag, int vflag)
{
  double t0 = seconds_now();
  ev_init(eflag, vflag);

  int grade_step = 0;
  if (extrapolation && update->ntimestep % grade_every == 0) grade_step = grade_kind;

  mtpj_frame frame;
  memset(&frame, 0, sizeof frame);
  frame.abi_version = MTPJ_ABI_VERSION;
  frame.handle = handle;
  frame.nlocal = atom->nlocal;
  frame.nghost = atom->nghost;
  frame.inum = list->inum;
  frame.ntypes = atom->ntypes;
  frame.neighmask = NEIGHMASK;
  frame.eflag_global = eflag_global ? 1 : 0;
  frame.eflag_atom = eflag_atom ? 1 : 0;
  frame.vflag_global = vflag_global ? 1 : 0;
  frame.vflag_atom = vflag_atom ? 1 : 0;
  frame.grade_mode = grade_step;
  frame.ilist = list->ilist;
  frame.numneigh = list->numneigh;
  frame.firstneigh = list->firstneigh;
  bool empty = atom->nlocal + atom->nghost == 0 || atom->x == nullptr;
  frame.x = empty ? nullptr : atom->x[0];
  frame.type = atom->type;
  frame.f = empty ? nullptr : atom->f[0];
  frame.eatom = eflag_atom ? eatom : nullptr;
  frame.vatom = (vflag_atom && vatom) ? vatom[0] : nullptr;
  frame.grade = grade_step == MTPJ_GRADE_NEIGHBOURHOOD ? grade_array() : nullptr;
  frame.dedtheta = grade_step == MTPJ_GRADE_CONFIGURATION ? dedtheta : nullptr;

  if (magmom_mode) compute_magnetic(frame);
  else if (java->compute(&frame) != 0) java_failed("compute");

  if (eflag_global) eng_vdwl += frame.energy;
  if (vflag_global)
    for (int k = 0; k < 6; k++) virial[k] += frame.virial[k];
  if (vflag_fdotr) virial_fdotr_compute();

  if (grade_step) {
    if (grade_step == MTPJ_GRADE_NEIGHBOURHOOD) {
      MPI_Allreduce(&frame.max_grade, &max_grade, 1, MPI_DOUBLE, MPI_MAX, world);
    } else {
      MPI_Allreduce(dedtheta, dedtheta_sum, nparams, MPI_DOUBLE, MPI_SUM, world);
      if (java->config_grade(handle, dedtheta_sum, (int64_t) atom->natoms, &max_grade) != 0)
        java_failed("configuration grade");
    }
    pvector[0] = comm->me == 0 ? max_grade : 0.0;
  }

  compute_calls++;
  time_java += frame.java_seconds;
  time_kernel += frame.kernel_seconds;
  time_pair += seconds_now() - t0;
  pvector[1] = time_pair;
  pvector[2] = time_java;
  pvector[3] = time_kernel;

  if (grade_step) control_extrapolation(grade_step);
}

/* MLIP semantics: grade > select saves the configuration, grade > break stops the run. Every rank knows the
   reduced maximum, so both decisions are collective and the stop is a clean error->all. */
void PairMTPJava::control_extrapolation(int)
{
  if (max_grade > select_threshold && !dump_file.empty() && last_saved_step != update->ntimestep) {
    save_configuration();
    last_saved_step = update->ntimestep;
  }
  if (max_grade > break_threshold)
    error->all(FLERR, fmt::format("mtpjava: extrapolation grade {:.6g} exceeds the break threshold {} at step "
                                  "{}{}", max_grade, break_threshold, update->ntimestep,
                                  dump_file.empty() ? "" : "; the configuration was saved to " + dump_file));
}

/* Gathers ids, types, positions and grades of all atoms on rank 0, which appends one .cfg block. */
void PairMTPJava::save_configuration()
{
  int nlocal = atom->nlocal;
  double *grades = grade_kind == MTPJ_GRADE_NEIGHBOURHOOD ? grade_array() : nullptr;
  std::vector<int64_t> ids(nlocal);
  std::vector<int32_t> types(nlocal);
  std::vector<double> coords(3 * (size_t) nlocal), local_grades(nlocal, 0.0);
  for (int i = 0; i < nlocal; i++) {
    ids[i] = (int64_t) atom->tag[i];
    types[i] = atom->type[i];
    for (int k = 0; k < 3; k++) coords[3 * i + k] = atom->x[i][k];
    if (grades) local_grades[i] = grades[i];
  }
  int nprocs = comm->nprocs, me = comm->me;
  std::vector<int> counts(nprocs), displs(nprocs), counts3(nprocs), displs3(nprocs);
  MPI_Gather(&nlocal, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, world);
  int total = 0;
  if (me == 0)
    for (int p = 0; p < nprocs; p++) {
      displs[p] = total;
      counts3[p] = 3 * counts[p];
      displs3[p] = 3 * total;
      total += counts[p];
    }
  std::vector<int64_t> all_ids(me == 0 ? total : 0);
  std::vector<int32_t> all_types(me == 0 ? total : 0);
  std::vector<double> all_x(me == 0 ? 3 * (size_t) total : 0), all_grades(me == 0 ? total : 0);
  MPI_Gatherv(ids.data(), nlocal, MPI_INT64_T, all_ids.data(), counts.data(), displs.data(), MPI_INT64_T, 0, world);
  MPI_Gatherv(types.data(), nlocal, MPI_INT32_T, all_types.data(), counts.data(), displs.data(), MPI_INT32_T, 0,
              world);
  MPI_Gatherv(coords.data(), 3 * nlocal, MPI_DOUBLE, all_x.data(), counts3.data(), displs3.data(), MPI_DOUBLE, 0,
              world);
  MPI_Gatherv(local_grades.data(), nlocal, MPI_DOUBLE, all_grades.data(), counts.data(), displs.data(), MPI_DOUBLE,
              0, world);

  int failed = 0;
  char message[8192] = "";
  if (me == 0) {
    mtpj_snapshot snap;
    memset(&snap, 0, sizeof snap);
    snap.handle = handle;
    snap.natoms = total;
    snap.timestep = update->ntimestep;
    snap.ids = all_ids.data();
    snap.types = all_types.data();
    snap.x = all_x.data();
    snap.grade = grades ? all_grades.data() : nullptr;
    snap.path = dump_file.c_str();
    // LAMMPS's restricted triclinic cell as lattice rows; a non-periodic direction is written as a zero row
    double cell[9] = {domain->xprd, 0, 0, domain->xy, domain->yprd, 0, domain->xz, domain->yz, domain->zprd};
    for (int a = 0; a < 3; a++)
      if (!domain->periodicity[a])
        for (int k = 0; k < 3; k++) cell[3 * a + k] = 0.0;
    memcpy(snap.cell, cell, sizeof cell);
    snap.origin[0] = domain->boxlo[0];
    snap.origin[1] = domain->boxlo[1];
    snap.origin[2] = domain->boxlo[2];
    snap.max_grade = max_grade;
    if (java->append_cfg(&snap) != 0) {
      failed = 1;
      java->last_error(handle, message, sizeof message);
    }
  }
  MPI_Bcast(&failed, 1, MPI_INT, 0, world);
  if (failed) {
    if (me == 0) error->one(FLERR, fmt::format("mtpjava: writing {} failed: {}", dump_file, message));
    MPI_Barrier(world);    // rank 0 aborts the job
  }
}

#ifdef MTPJ_HAVE_EXTRACT_PERATOM
void *PairMTPJava::extract_peratom(const char *str, int &ncol)
{
  if (extrapolation && grade_kind == MTPJ_GRADE_NEIGHBOURHOOD && strcmp(str, "extrapolation") == 0) {
    ncol = 0;
    return (void *) grade_array();
  }
  return nullptr;
}
#endif

/* ---------------------------------------------------------------------- magnetic MTP */

void PairMTPJava::check_moments(const double *magmom)
{
  double slack = 1e-9 * (magnetic_max - magnetic_min);
  for (int i = 0; i < atom->nlocal; i++) {
    double m = magmom[i];
    if (!(m >= magnetic_min - slack && m <= magnetic_max + slack))
      error->one(FLERR, fmt::format("mtpjava: atom {} has magnetic moment {} (d_{}), outside the potential's magnetic "
                                    "interval [{}, {}] where its Chebyshev basis is defined", (bigint) atom->tag[i], m,
                                    magmom_name, magnetic_min, magnetic_max));
  }
}

void PairMTPJava::compute_magnetic(mtpj_frame &frame)
{
  double *magmom = atom->dvector[magmom_index];
  double *dedm;
  if (dedm_index >= 0) {
    dedm = atom->dvector[dedm_index];
  } else {
    if (atom->nmax > own_dedm_max) {
      own_dedm_max = atom->nmax;
      memory->destroy(own_dedm);
      memory->create(own_dedm, own_dedm_max, "pair:mtpjava_dedm");
    }
    dedm = own_dedm;
  }
  comm_magmom = magmom;
  comm_dedm = dedm;
  if (magmom_mode == MTPJ_MAGMOM_FIXED) check_moments(magmom);
  // ghosts get their owners' moments (set/displace/relaxation may have changed them since the last exchange)
#ifdef MTPJ_HAVE_FORWARD_COMM_PAIR
  comm->forward_comm_pair(this);
#else
  comm->forward_comm(this);
#endif
  mtpj_magnetic mag;
  memset(&mag, 0, sizeof mag);
  mag.abi_version = MTPJ_ABI_VERSION;
  mag.mode = magmom_mode;
  mag.allow_flips = magmom_flips;
  mag.max_iterations = magmom_iterations;
  mag.memory = 10;
  mag.tolerance = magmom_tolerance;
  mag.max_step = magmom_max_step;
  mag.magmom = magmom;
  mag.dedm = dedm;
  mag.context = this;
  mag.forward_comm = &PairMTPJava::magmom_forward_cb;
  mag.reverse_comm = &PairMTPJava::dedm_reverse_cb;
  mag.allreduce = &PairMTPJava::allreduce_cb;
  if (java->magnetic_compute(&frame, &mag) != 0) java_failed("magnetic compute");
  // dE/dm of ghost atoms belongs to their owners
#ifdef MTPJ_HAVE_FORWARD_COMM_PAIR
  comm->reverse_comm_pair(this);
#else
  comm->reverse_comm(this);
#endif
  if (magmom_mode == MTPJ_MAGMOM_RELAX) {
    if (!mag.converged) {
      magmom_not_converged++;
      if (comm->me == 0 && magmom_not_converged <= 10)
        error->warning(FLERR, fmt::format("mtpjava: moment relaxation not converged at step {} after {} iterations "
                                          "(max |dE/dm| {:.3g} eV/muB > tolerance {}){}", update->ntimestep,
                                          mag.iterations, mag.max_dedm, magmom_tolerance,
                                          magmom_not_converged == 10 ? "; further warnings suppressed" : ""));
    }
    bool root = comm->me == 0;
    pvector[5] = root ? mag.iterations : 0.0;
    pvector[6] = root ? mag.evaluations : 0.0;
    pvector[7] = root ? mag.max_dedm : 0.0;
    pvector[8] = root ? mag.converged : 0.0;
    pvector[9] = root ? (double) magmom_not_converged : 0.0;
  }
}

int PairMTPJava::pack_forward_comm(int n, int *list, double *buf, int, int *)
{
  for (int k = 0; k < n; k++) buf[k] = comm_magmom[list[k]];
  return n;
}

void PairMTPJava::unpack_forward_comm(int n, int first, double *buf)
{
  for (int k = 0; k < n; k++) comm_magmom[first + k] = buf[k];
}

int PairMTPJava::pack_reverse_comm(int n, int first, double *buf)
{
  for (int k = 0; k < n; k++) buf[k] = comm_dedm[first + k];
  return n;
}

void PairMTPJava::unpack_reverse_comm(int n, int *list, double *buf)
{
  for (int k = 0; k < n; k++) comm_dedm[list[k]] += buf[k];
}

int32_t PairMTPJava::magmom_forward_cb(void *context)
{
  auto *self = static_cast<PairMTPJava *>(context);
#ifdef MTPJ_HAVE_FORWARD_COMM_PAIR
  self->comm->forward_comm_pair(self);
#else
  self->comm->forward_comm(self);
#endif
  return 0;
}

int32_t PairMTPJava::dedm_reverse_cb(void *context)
{
  auto *self = static_cast<PairMTPJava *>(context);
#ifdef MTPJ_HAVE_FORWARD_COMM_PAIR
  self->comm->reverse_comm_pair(self);
#else
  self->comm->reverse_comm(self);
#endif
  return 0;
}

int32_t PairMTPJava::allreduce_cb(void *context, double *values, int32_t count, int32_t op)
{
  auto *self = static_cast<PairMTPJava *>(context);
  std::vector<double> in(values, values + count);
  return MPI_Allreduce(in.data(), values, count, MPI_DOUBLE, op == 1 ? MPI_MAX : MPI_SUM, self->world) == MPI_SUCCESS ? 0 : 1;
}

double PairMTPJava::memory_usage()
{
  double bytes = Pair::memory_usage();
  bytes += (double) own_grade_max * sizeof(double);
  bytes += (double) own_dedm_max * sizeof(double);
  return bytes;
}
