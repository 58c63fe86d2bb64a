# Initial cache for the private LAMMPS build (cmake -C this-file). scripts/lammps-build.sh hashes this
# file into the cache key, so any change here triggers a fresh LAMMPS build instead of reusing a stale one.
set(CMAKE_BUILD_TYPE Release CACHE STRING "")
set(BUILD_MPI ON CACHE BOOL "")
set(BUILD_OMP ON CACHE BOOL "")
# PLUGIN only works with a shared liblammps (otherwise the plugin command is silently inert).
set(BUILD_SHARED_LIBS ON CACHE BOOL "")
# Must match the plugin's view of class Error; Debian's binary is built without it as well.
set(LAMMPS_EXCEPTIONS OFF CACHE BOOL "")
set(PKG_PLUGIN ON CACHE BOOL "")
set(PKG_MANYBODY ON CACHE BOOL "")
# ML-SNAP: an in-build C++ many-body reference for the benchmark.
set(PKG_ML-SNAP ON CACHE BOOL "")
set(PKG_EXTRA-FIX ON CACHE BOOL "")
set(PKG_EXTRA-COMPUTE ON CACHE BOOL "")
# lmp_mtpjava / liblammps_mtpjava.so: can never be confused with Debian's lmp / liblammps.so.0.
set(LAMMPS_MACHINE mtpjava CACHE STRING "")
# Not needed here and each would add a system dependency that a fresh machine may lack.
set(WITH_JPEG OFF CACHE BOOL "")
set(WITH_PNG OFF CACHE BOOL "")
set(WITH_FFMPEG OFF CACHE BOOL "")
