# Locates the headers of the LAMMPS that will load the plugin and derives what the sources must know about
# it: a numeric version (MTPJ_LAMMPS_VERSION, e.g. 20210929) and optional features. Defines the interface
# target lammps_headers.
set(LAMMPS_SOURCE_DIR "" CACHE PATH "LAMMPS source tree (contains src/lammpsplugin.h)")
set(LAMMPS_HEADER_DIR "" CACHE PATH "LAMMPS src/ folder (alternative to LAMMPS_SOURCE_DIR)")
if(NOT LAMMPS_HEADER_DIR AND LAMMPS_SOURCE_DIR)
  set(LAMMPS_HEADER_DIR ${LAMMPS_SOURCE_DIR}/src)
endif()
if(NOT EXISTS "${LAMMPS_HEADER_DIR}/lammpsplugin.h" OR NOT EXISTS "${LAMMPS_HEADER_DIR}/pair.h")
  message(FATAL_ERROR "LAMMPS headers not found: set LAMMPS_SOURCE_DIR to a LAMMPS source tree "
                      "(LAMMPS_HEADER_DIR='${LAMMPS_HEADER_DIR}' has no lammpsplugin.h/pair.h)")
endif()

# "29 Sep 2021" -> 20210929; LAMMPS trees before 2023 have no numeric version macro.
file(STRINGS "${LAMMPS_HEADER_DIR}/version.h" _version_line REGEX "#define LAMMPS_VERSION ")
string(REGEX MATCH "\"([0-9]+) ([A-Za-z]+) ([0-9]+)\"" _m "${_version_line}")
if(NOT _m)
  message(FATAL_ERROR "cannot read LAMMPS_VERSION from ${LAMMPS_HEADER_DIR}/version.h")
endif()
set(_day ${CMAKE_MATCH_1})
set(_month_name ${CMAKE_MATCH_2})
set(_year ${CMAKE_MATCH_3})
set(_months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
list(FIND _months ${_month_name} _month_index)
math(EXPR _month "${_month_index} + 1")
math(EXPR MTPJ_LAMMPS_VERSION "${_year} * 10000 + ${_month} * 100 + ${_day}")
message(STATUS "LAMMPS headers: ${LAMMPS_HEADER_DIR} (version ${_day} ${_month_name} ${_year} = ${MTPJ_LAMMPS_VERSION})")

# Pair::extract_peratom() (used by `fix pair`) exists only in newer LAMMPS.
file(STRINGS "${LAMMPS_HEADER_DIR}/pair.h" _peratom REGEX "extract_peratom")

# Before the 2022 rename, pair styles exchange their own data with Comm::forward_comm_pair/reverse_comm_pair.
file(STRINGS "${LAMMPS_HEADER_DIR}/comm.h" _comm_pair REGEX "forward_comm_pair")

set(LAMMPS_SIZES "smallbig" CACHE STRING "integer sizes of the host LAMMPS: smallbig, bigbig or smallsmall")
option(LAMMPS_EXCEPTIONS "the host LAMMPS was built with LAMMPS_EXCEPTIONS" OFF)
option(BUILD_MPI "the host LAMMPS uses MPI (otherwise its STUBS library)" ON)

add_library(lammps_headers INTERFACE)
target_include_directories(lammps_headers INTERFACE ${LAMMPS_HEADER_DIR})
string(TOUPPER ${LAMMPS_SIZES} _sizes)
target_compile_definitions(lammps_headers INTERFACE LAMMPS_${_sizes} MTPJ_LAMMPS_VERSION=${MTPJ_LAMMPS_VERSION})
if(_peratom)
  target_compile_definitions(lammps_headers INTERFACE MTPJ_HAVE_EXTRACT_PERATOM)
endif()
if(_comm_pair)
  target_compile_definitions(lammps_headers INTERFACE MTPJ_HAVE_FORWARD_COMM_PAIR)
endif()
if(LAMMPS_EXCEPTIONS)
  target_compile_definitions(lammps_headers INTERFACE LAMMPS_EXCEPTIONS)
endif()
if(BUILD_MPI)
  set(MPI_CXX_SKIP_MPICXX TRUE)
  find_package(MPI REQUIRED COMPONENTS CXX)
  target_link_libraries(lammps_headers INTERFACE MPI::MPI_CXX)
else()
  target_include_directories(lammps_headers INTERFACE ${LAMMPS_HEADER_DIR}/STUBS)
endif()
