/* mtpjava C shim: finds libjvm and the mtpjava jar, creates the JVM once per process (or reuses the one that
 * exists), and makes the single JNI bootstrap call that fills the API table with FFM upcall stubs.
 * Everything after that is plain C calls through function pointers; JNI is not used again.
 */
#define _GNU_SOURCE
#include "mtpjava_shim.h"
#include "mtpjava_layout.h"

#include <dlfcn.h>
#include <errno.h>
#include <jni.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef MTPJAVA_DEFAULT_LIBJVM
#define MTPJAVA_DEFAULT_LIBJVM ""
#endif
#ifndef MTPJAVA_DEFAULT_JAR
#define MTPJAVA_DEFAULT_JAR ""
#endif

/* JDK 25's jni.h defines JNI_VERSION_24; requesting it makes older JVMs fail cleanly with JNI_EVERSION. */
#ifndef JNI_VERSION_24
#define JNI_VERSION_24 0x00180000
#endif
#define MTPJ_MIN_JAVA 25
#define BRIDGE_CLASS "org/mtpjava/bridge/NativeBridge"

#define FIELD_NAME(s, f) #s "." #f,
#define FIELD_VALUE(s, f) (int64_t) offsetof(s, f),
#define STRUCT_NAME(s) #s,
#define STRUCT_VALUE(s) (int64_t) sizeof(s),
static const char *const layout_names[] = {MTPJ_LAYOUT_FIELDS(FIELD_NAME) MTPJ_LAYOUT_STRUCTS(STRUCT_NAME)};
static const int64_t layout_values[] = {MTPJ_LAYOUT_FIELDS(FIELD_VALUE) MTPJ_LAYOUT_STRUCTS(STRUCT_VALUE)};
#define LAYOUT_COUNT ((int64_t) (sizeof(layout_values) / sizeof(layout_values[0])))

typedef jint (*create_vm_fn)(JavaVM **, void **, void *);
typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

/* process-wide state: the JVM is never destroyed */
static mtpj_api api;
static int api_ready;
static JavaVM *vm;
static char api_message[4096];
static char used_libjvm[4096];
static char used_classpath[8192];
static char description[16384];
static double startup_ms;

int64_t mtpj_layout(const char *const **names, const int64_t **values)
{
  *names = layout_names;
  *values = layout_values;
  return LAYOUT_COUNT;
}

const char *mtpj_describe(void) { return description; }
double mtpj_startup_ms(void) { return startup_ms; }

static double now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static void fail(char *error, size_t cap, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(error, cap, fmt, ap);
  va_end(ap);
}

static int readable(const char *path) { return path && *path && access(path, R_OK) == 0; }

/* Feature version (25 for "25.0.3") from the `release` file of the JDK that holds libjvm at
   <home>/lib/server/libjvm.so; -1 if unknown. Lets us skip an old JAVA_HOME before loading it. */
static int java_feature_of(const char *libjvm)
{
  char home[4096];
  snprintf(home, sizeof home, "%s", libjvm);
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(home, '/');
    if (!slash) return -1;
    *slash = '\0';
  }
  char release[4200];
  snprintf(release, sizeof release, "%s/release", home);
  FILE *in = fopen(release, "r");
  if (!in) return -1;
  char line[512];
  int feature = -1;
  while (fgets(line, sizeof line, in)) {
    if (strncmp(line, "JAVA_VERSION=\"", 14) == 0) {
      feature = atoi(line + 14);
      break;
    }
  }
  fclose(in);
  return feature;
}

/* Picks libjvm: explicit request, $MTPJAVA_LIBJVM, $JAVA_HOME, the build-time JDK. An explicitly named one
   that is missing or too old is an error; an unsuitable JAVA_HOME is skipped (it often points at an older JDK
   for other tools) and noted. */
static int choose_libjvm(const char *requested, char *out, size_t outcap, char *notes, size_t notecap,
                         char *error, size_t cap)
{
  char from_java_home[4096] = "";
  const char *java_home = getenv("JAVA_HOME");
  if (java_home && *java_home) snprintf(from_java_home, sizeof from_java_home, "%s/lib/server/libjvm.so", java_home);
  struct {
    const char *origin, *path;
    int explicit_choice;
  } candidates[] = {
      {"pair_style libjvm", requested, 1},
      {"MTPJAVA_LIBJVM", getenv("MTPJAVA_LIBJVM"), 1},
      {"JAVA_HOME", from_java_home, 0},
      {"the JDK found at build time", MTPJAVA_DEFAULT_LIBJVM, 0},
  };
  char tried[4096] = "";
  for (size_t k = 0; k < sizeof candidates / sizeof candidates[0]; k++) {
    const char *path = candidates[k].path;
    if (!path || !*path) continue;
    if (!readable(path)) {
      if (candidates[k].explicit_choice) {
        fail(error, cap, "libjvm %s (from %s) does not exist or is not readable", path, candidates[k].origin);
        return -1;
      }
      snprintf(tried + strlen(tried), sizeof tried - strlen(tried), " %s (%s: missing);", path,
               candidates[k].origin);
      continue;
    }
    int feature = java_feature_of(path);
    if (feature >= 0 && feature < MTPJ_MIN_JAVA) {
      if (candidates[k].explicit_choice) {
        fail(error, cap, "libjvm %s (from %s) belongs to JDK %d; mtpjava needs JDK %d or newer", path,
             candidates[k].origin, feature, MTPJ_MIN_JAVA);
        return -1;
      }
      snprintf(notes + strlen(notes), notecap - strlen(notes), " skipped %s (%s, JDK %d < %d);", path,
               candidates[k].origin, feature, MTPJ_MIN_JAVA);
      snprintf(tried + strlen(tried), sizeof tried - strlen(tried), " %s (%s: JDK %d);", path,
               candidates[k].origin, feature);
      continue;
    }
    snprintf(out, outcap, "%s", path);
    return 0;
  }
  fail(error, cap,
       "no usable libjvm.so of a JDK >= %d found; tried:%s set MTPJAVA_LIBJVM, JAVA_HOME or pair_style ... "
       "libjvm PATH",
       MTPJ_MIN_JAVA, *tried ? tried : " nothing (no JAVA_HOME, no build-time JDK);");
  return -1;
}

static int all_entries_readable(const char *classpath, char *bad, size_t badcap)
{
  char copy[8192];
  snprintf(copy, sizeof copy, "%s", classpath);
  char *save = NULL;
  for (char *entry = strtok_r(copy, ":", &save); entry; entry = strtok_r(NULL, ":", &save)) {
    if (!readable(entry)) {
      snprintf(bad, badcap, "%s", entry);
      return 0;
    }
  }
  return 1;
}

/* Picks the classpath: explicit request, $MTPJAVA_CLASSPATH, mtpjava.jar next to this library, build default. */
static int choose_classpath(const char *requested, char *out, size_t outcap, char *error, size_t cap)
{
  char beside[4096] = "";
  Dl_info info;
  if (dladdr((void *) &mtpj_start, &info) && info.dli_fname) {
    snprintf(beside, sizeof beside, "%s", info.dli_fname);
    char *slash = strrchr(beside, '/');
    if (slash) snprintf(slash + 1, sizeof beside - (size_t) (slash + 1 - beside), "mtpjava.jar");
    else snprintf(beside, sizeof beside, "mtpjava.jar");
  }
  struct {
    const char *origin, *path;
    int explicit_choice;
  } candidates[] = {
      {"pair_style jar", requested, 1},
      {"MTPJAVA_CLASSPATH", getenv("MTPJAVA_CLASSPATH"), 1},
      {"the plugin's install folder", beside, 0},
      {"the build-time default", MTPJAVA_DEFAULT_JAR, 0},
  };
  char tried[8192] = "";
  for (size_t k = 0; k < sizeof candidates / sizeof candidates[0]; k++) {
    const char *path = candidates[k].path;
    if (!path || !*path) continue;
    char bad[4096];
    if (!all_entries_readable(path, bad, sizeof bad)) {
      if (candidates[k].explicit_choice) {
        fail(error, cap, "jar %s (from %s) does not exist or is not readable", bad, candidates[k].origin);
        return -1;
      }
      snprintf(tried + strlen(tried), sizeof tried - strlen(tried), " %s;", path);
      continue;
    }
    snprintf(out, outcap, "%s", path);
    return 0;
  }
  fail(error, cap, "mtpjava.jar not found (tried:%s); give pair_style mtpjava jar PATH or set MTPJAVA_CLASSPATH",
       *tried ? tried : " nothing");
  return -1;
}

/* The text of a pending Java exception (cleared), or a fallback. */
static void take_exception(JNIEnv *env, char *out, size_t cap)
{
  jthrowable t = (*env)->ExceptionOccurred(env);
  if (!t) {
    snprintf(out, cap, "(no Java exception)");
    return;
  }
  (*env)->ExceptionClear(env);
  jclass tc = (*env)->GetObjectClass(env, t);
  jmethodID to_string = tc ? (*env)->GetMethodID(env, tc, "toString", "()Ljava/lang/String;") : NULL;
  jstring s = to_string ? (jstring) (*env)->CallObjectMethod(env, t, to_string) : NULL;
  if ((*env)->ExceptionCheck(env) || !s) {
    (*env)->ExceptionClear(env);
    snprintf(out, cap, "(a Java exception whose text could not be read)");
    return;
  }
  const char *chars = (*env)->GetStringUTFChars(env, s, NULL);
  snprintf(out, cap, "%s", chars ? chars : "?");
  if (chars) (*env)->ReleaseStringUTFChars(env, s, chars);
}

static void add_option(char **options, int *count, int max, const char *text)
{
  if (*count < max) options[(*count)++] = strdup(text);
}

/* Splits whitespace-separated options into the list (each already in the one-string --opt=value form). */
static void add_options_from(char **options, int *count, int max, const char *text)
{
  if (!text) return;
  char *copy = strdup(text), *save = NULL;
  for (char *tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
    add_option(options, count, max, tok);
  free(copy);
}

static int bootstrap(JNIEnv *env, char *error, size_t cap)
{
  memset(&api, 0, sizeof api);
  api.abi_version = MTPJ_ABI_VERSION;
  api.layout_names = layout_names;
  api.layout_values = layout_values;
  api.layout_count = LAYOUT_COUNT;
  api_message[0] = '\0';
  api.message = api_message;
  api.message_capacity = sizeof api_message;

  jclass bridge = (*env)->FindClass(env, BRIDGE_CLASS);
  if (!bridge || (*env)->ExceptionCheck(env)) {
    char text[2048];
    take_exception(env, text, sizeof text);
    fail(error, cap, "class %s not found in classpath %s (is it an mtpjava jar?): %s", BRIDGE_CLASS,
         used_classpath, text);
    return -1;
  }
  jmethodID entry = (*env)->GetStaticMethodID(env, bridge, "bootstrap", "(J)I");
  if (!entry || (*env)->ExceptionCheck(env)) {
    char text[2048];
    take_exception(env, text, sizeof text);
    fail(error, cap, "%s.bootstrap(long) missing in %s (jar from another version?): %s", BRIDGE_CLASS,
         used_classpath, text);
    return -1;
  }
  jint rc = (*env)->CallStaticIntMethod(env, bridge, entry, (jlong) (intptr_t) &api);
  if ((*env)->ExceptionCheck(env)) {
    char text[2048];
    take_exception(env, text, sizeof text);
    fail(error, cap, "Java bridge bootstrap threw: %s", text);
    return -1;
  }
  (*env)->DeleteLocalRef(env, bridge);
  if (rc != 0) {
    fail(error, cap, "Java bridge bootstrap failed: %s", api_message[0] ? api_message : "(no message)");
    return -1;
  }
  if (!api.create || !api.compute || !api.last_error || !api.release || !api.append_cfg || !api.config_grade) {
    fail(error, cap, "Java bridge bootstrap left the API table incomplete");
    return -1;
  }
  return 0;
}

const mtpj_api *mtpj_start(const mtpj_jvm_request *request, char *error, size_t cap)
{
  static const mtpj_jvm_request none = {NULL, NULL, NULL};
  if (!request) request = &none;
  if (api_ready) {
    if (request->classpath && *request->classpath && strcmp(request->classpath, used_classpath) != 0) {
      fail(error, cap,
           "the JVM of this process already runs with classpath %s; it cannot load %s (one jar per process)",
           used_classpath, request->classpath);
      return NULL;
    }
    startup_ms = 0;
    return &api;
  }

  char notes[4096] = "";
  if (choose_libjvm(request->libjvm, used_libjvm, sizeof used_libjvm, notes, sizeof notes, error, cap)) return NULL;
  if (choose_classpath(request->classpath, used_classpath, sizeof used_classpath, error, cap)) return NULL;

  double t0 = now_ms();
  void *lib = dlopen(used_libjvm, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fail(error, cap, "cannot load %s: %s", used_libjvm, dlerror());
    return NULL;
  }
  create_vm_fn create_vm = (create_vm_fn) dlsym(lib, "JNI_CreateJavaVM");
  created_vms_fn created_vms = (created_vms_fn) dlsym(lib, "JNI_GetCreatedJavaVMs");
  if (!create_vm || !created_vms) {
    fail(error, cap, "%s is not a JVM library (no JNI_CreateJavaVM)", used_libjvm);
    return NULL;
  }

  JNIEnv *env = NULL;
  JavaVM *existing[1];
  jsize n_existing = 0;
  int reused = 0;
  if (created_vms(existing, 1, &n_existing) == JNI_OK && n_existing > 0) {
    /* e.g. the shim library was unloaded and loaded again: the JVM is still there */
    vm = existing[0];
    jint got = (*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_24);
    if (got == JNI_EDETACHED) got = (*vm)->AttachCurrentThread(vm, (void **) &env, NULL);
    if (got != JNI_OK) {
      fail(error, cap, "cannot attach to the existing JVM (rc %d)", (int) got);
      return NULL;
    }
    reused = 1;
  } else {
    char *options[64];
    int count = 0;
    char text[8300];
    snprintf(text, sizeof text, "-Djava.class.path=%s", used_classpath);
    add_option(options, &count, 64, text);
    /* LAMMPS and MPI keep INT/TERM/HUP/QUIT; without native access every rank prints a warning;
       SerialGC + bounded heap keep a rank's JVM small and single-threaded for GC. */
    add_option(options, &count, 64, "-Xrs");
    add_option(options, &count, 64, "--enable-native-access=ALL-UNNAMED");
    add_option(options, &count, 64, "-XX:+UseSerialGC");
    add_option(options, &count, 64, "-Xms32m");
    add_option(options, &count, 64, "-Xmx1g");
    const char *tmp = getenv("TMPDIR");
    snprintf(text, sizeof text, "-XX:ErrorFile=%s/mtpjava_hs_err_pid%%p.log", tmp && *tmp ? tmp : "/tmp");
    add_option(options, &count, 64, text);
    add_options_from(options, &count, 64, getenv("MTPJAVA_JVM_OPTIONS"));
    add_options_from(options, &count, 64, request->jvm_options);

    JavaVMOption vm_options[64];
    for (int k = 0; k < count; k++) {
      vm_options[k].optionString = options[k];
      vm_options[k].extraInfo = NULL;
    }
    JavaVMInitArgs args;
    args.version = JNI_VERSION_24;
    args.nOptions = count;
    args.options = vm_options;
    args.ignoreUnrecognized = JNI_FALSE;
    jint rc = create_vm(&vm, (void **) &env, &args);
    for (int k = 0; k < count; k++) free(options[k]);
    if (rc == JNI_EVERSION) {
      fail(error, cap, "%s does not support JNI 24: mtpjava needs a JDK %d or newer", used_libjvm, MTPJ_MIN_JAVA);
      return NULL;
    }
    if (rc != JNI_OK) {
      const char *why = "";
      if (rc == JNI_ERR || rc == JNI_EINVAL)
        why = ": an option was rejected (see the JVM's message above; check MTPJAVA_JVM_OPTIONS)";
      else if (rc == JNI_ENOMEM)
        why = ": not enough memory for the heap (lower -Xmx in MTPJAVA_JVM_OPTIONS)";
      fail(error, cap, "creating the JVM from %s failed (rc %d)%s", used_libjvm, (int) rc, why);
      return NULL;
    }
  }
  double t1 = now_ms();
  if (bootstrap(env, error, cap)) return NULL;
  double t2 = now_ms();
  startup_ms = t2 - t0;
  api_ready = 1;
  snprintf(description, sizeof description,
           "JVM %s (%s) %s in %.0f ms, bridge bootstrap %.0f ms; classpath %s%s%s",
           api.java_version ? api.java_version : "?", used_libjvm, reused ? "reused" : "started", t1 - t0, t2 - t1,
           used_classpath, *notes ? ";" : "", notes);
  return &api;
}

int mtpj_check_signal_handlers(char *error, size_t cap)
{
  struct sigaction current;
  if (sigaction(SIGSEGV, NULL, &current) != 0) return 0;
  void *handler = (current.sa_flags & SA_SIGINFO) ? (void *) current.sa_sigaction : (void *) current.sa_handler;
  if (handler == (void *) SIG_DFL || handler == (void *) SIG_IGN) {
    fail(error, cap, "the SIGSEGV handler of the JVM was removed (now %s)", handler == (void *) SIG_DFL ? "default" : "ignored");
    return 1;
  }
  Dl_info info;
  const char *owner = (dladdr(handler, &info) && info.dli_fname) ? info.dli_fname : "an unknown library";
  if (strstr(owner, "libjvm") || strstr(owner, "libjsig")) return 0;
  fail(error, cap,
       "the SIGSEGV handler now belongs to %s, not to the JVM; HotSpot needs it for normal execution. Start the "
       "run with LD_PRELOAD=<JDK>/lib/libjsig.so (with mpirun: -x LD_PRELOAD=...)",
       owner);
  return 1;
}
