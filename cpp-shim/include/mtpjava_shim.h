/* mtpjava C shim: starts (or finds) the JVM of this process once, and hands out the Java bridge's API table.
 * C ABI; no LAMMPS, no MPI. Safe to call again after a LAMMPS `clear` or plugin reload: the JVM and the API
 * table live for the whole process (a JVM cannot be destroyed and re-created in one process).
 */
#ifndef MTPJAVA_SHIM_H
#define MTPJAVA_SHIM_H

#include <stddef.h>
#include "mtpjava_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* the shim is built with hidden visibility; only these functions are exported */
#define MTPJ_PUBLIC __attribute__((visibility("default")))

/* What the caller asks for; every field may be NULL (then the search order below applies).
 *   libjvm:    explicit libjvm.so;  else $MTPJAVA_LIBJVM, $JAVA_HOME/lib/server/libjvm.so, the build-time JDK.
 *   classpath: explicit jar(s);     else $MTPJAVA_CLASSPATH, mtpjava.jar next to the shim library, the
 *                                   build-time default jar.
 *   jvm_options: extra options (whitespace separated), added after the defaults and $MTPJAVA_JVM_OPTIONS. */
typedef struct mtpj_jvm_request {
  const char *libjvm;
  const char *classpath;
  const char *jvm_options;
} mtpj_jvm_request;

/* Returns the Java API table, starting the JVM and bootstrapping the bridge on first use; NULL on failure with
   a message in error (never exits, never throws). */
MTPJ_PUBLIC const mtpj_api *mtpj_start(const mtpj_jvm_request *request, char *error, size_t error_capacity);

/* One line describing the running JVM: libjvm, classpath, Java version, start-up and bootstrap times (ms). */
MTPJ_PUBLIC const char *mtpj_describe(void);

/* Milliseconds spent creating the JVM and bootstrapping the bridge in this process (0 if reused). */
MTPJ_PUBLIC double mtpj_startup_ms(void);

/* 0 if the SIGSEGV handler is still HotSpot's (required: HotSpot uses SIGSEGV for null checks); otherwise
   fills error with the owner's name and the libjsig hint and returns 1. */
MTPJ_PUBLIC int mtpj_check_signal_handlers(char *error, size_t error_capacity);

/* Layout of the structs in mtpjava_frame.h as seen by this compiler ("struct.field" offsets and "struct" sizes). */
MTPJ_PUBLIC int64_t mtpj_layout(const char *const **names, const int64_t **values);

#ifdef __cplusplus
}
#endif

#endif
