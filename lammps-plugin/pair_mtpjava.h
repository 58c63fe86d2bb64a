/* pair_style mtpjava: Moment Tensor Potentials evaluated in Java (mtpjava), embedded through the C shim.
 *
 * This class only adapts LAMMPS to the Java kernel: it parses the input, passes LAMMPS's own arrays to Java
 * once per compute() (see cpp-shim/include/mtpjava_frame.h), tallies what Java returns, and runs the
 * collective parts of extrapolation control (MPI reduction, gathering a configuration, stopping). No physics.
 */
#ifndef LMP_PAIR_MTPJAVA_H
#define LMP_PAIR_MTPJAVA_H

#include "pair.h"

#include <cstdint>
#include <string>

struct mtpj_api;
struct mtpj_frame;

namespace LAMMPS_NS {

class PairMTPJava : public Pair {
 public:
  PairMTPJava(class LAMMPS *);
  ~PairMTPJava() override;
  void compute(int, int) override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  double init_one(int, int) override;
  double memory_usage() override;
#ifdef MTPJ_HAVE_EXTRACT_PERATOM
  void *extract_peratom(const char *, int &) override;
#endif
  int pack_forward_comm(int, int *, double *, int, int *) override;
  void unpack_forward_comm(int, int, double *) override;
  int pack_reverse_comm(int, int, double *) override;
  void unpack_reverse_comm(int, int *, double *) override;

  // callbacks of the magnetic relaxation in Java (context = this); collective, 0 on success
  static int32_t magmom_forward_cb(void *context);
  static int32_t dedm_reverse_cb(void *context);
  static int32_t allreduce_cb(void *context, double *values, int32_t count, int32_t op);

 private:
  const mtpj_api *java = nullptr;
  long long handle = 0;       // the Java model; 0 until pair_coeff succeeded
  double cutoff = 0.0;
  std::string jar, libjvm, species_names;

  // extrapolation control
  bool extrapolation = false;
  std::string extrapolation_file; // optional potential given with the keyword
  double select_threshold = 2.1, break_threshold = 10.0;
  std::string dump_file;
  int grade_every = 1;
  int grade_kind = 0;         // MTPJ_GRADE_NEIGHBOURHOOD / _CONFIGURATION once the potential is loaded
  int nparams = 0;
  double max_grade = 0.0;
  bigint last_saved_step = -1;
  int grade_property = -1;    // index of a `fix property/atom d_gamma` vector, or -1
  double *own_grade = nullptr; // per-atom grades when no d_gamma property exists
  int own_grade_max = 0;
  double *dedtheta = nullptr, *dedtheta_sum = nullptr;

  // magnetic MTP (issue 9): collinear moments from `fix property/atom d_magmom`, dE/dm into d_dedm if defined
  int magmom_mode = 0;        // 0: none, MTPJ_MAGMOM_FIXED, MTPJ_MAGMOM_RELAX
  std::string magmom_name, dedm_name;
  double magmom_tolerance = 1e-6, magmom_max_step = 0.5;
  int magmom_iterations = 200, magmom_flips = 0;
  int magnetic_size = 0;      // M of the loaded potential, 0 if not magnetic
  double magnetic_min = 0.0, magnetic_max = 0.0;
  int magmom_index = -1, dedm_index = -1;
  double *own_dedm = nullptr;
  int own_dedm_max = 0;
  double *comm_magmom = nullptr, *comm_dedm = nullptr; // arrays the pack/unpack functions work on
  long long magmom_not_converged = 0;

  void compute_magnetic(::mtpj_frame &frame);
  void check_moments(const double *magmom);

  // cumulative timings (seconds), exposed through pvector for `compute pair`
  double time_pair = 0.0, time_java = 0.0, time_kernel = 0.0;
  long long compute_calls = 0;
  int rank = 0;

  void start_java();
  void release_model();
  double *grade_array();
  void control_extrapolation(int grade_step);
  void save_configuration();
  [[noreturn]] void java_failed(const char *what);
};

}    // namespace LAMMPS_NS

#endif
