/* Plugin entry point: registers pair_style mtpjava with the LAMMPS that loads this library. */
#include "lammpsplugin.h"
#include "version.h"

#include "pair_mtpjava.h"

using namespace LAMMPS_NS;

static void *create_pair_mtpjava(LAMMPS *lmp)
{
  return new PairMTPJava(lmp);
}

extern "C" void lammpsplugin_init(void *lmp, void *handle, void *regfunc)
{
  lammpsplugin_t plugin;
  auto register_style = (lammpsplugin_regfunc) regfunc;
  plugin.version = LAMMPS_VERSION;
  plugin.style = "pair";
  plugin.name = "mtpjava";
  plugin.info = "Moment Tensor Potentials evaluated in Java (mtpjava)";
  plugin.author = "mtpjava developers";
  plugin.creator.v1 = (lammpsplugin_factory1 *) &create_pair_mtpjava;
  plugin.handle = handle;
  (*register_style)(&plugin, lmp);
}
