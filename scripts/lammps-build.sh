#!/usr/bin/env bash
# Builds everything `pair_style mtpjava` needs, reusing what is already built:
#   1. system packages (Open MPI, dpkg-dev for `apt-get source`, lammps-data for the SNAP reference);
#   2. a private LAMMPS with PLUGIN from Debian's own source package, cached under
#      $MTPJAVA_CACHE/lammps/<source version>-<hash of cmake/lammps-options.cmake>/ (never in the repo,
#      never replacing Debian's liblammps.so.0: it is installed as lmp_mtpjava / liblammps_mtpjava.so);
#   3. the mtpjava jar (if missing or older than the Java sources; `--jar` forces a rebuild);
#   4. the C shim and the plugin (cmake/CMakeLists.txt) into $MTPJAVA_NATIVE_BUILD (default build/lammps).
# At the end it writes build/lammps/env.sh, which the tests and examples source (LAMMPS, plugin, jar paths).
#
# Options: --lammps-only   stop after step 2 (e.g. to start the long LAMMPS build early)
#          --jar           rebuild the jar even if it exists
#          --no-apt        never call apt-get (fail instead if something is missing)
# Environment: MTPJAVA_CACHE (default ~/.cache/mtpjava); MTPJAVA_BUILD_DIR (Maven output folder, default
#          java/target); MTPJAVA_JAR_CHECK=exists (never rebuild an existing jar); LAMMPS_SOURCE_DIR (your own
#          LAMMPS source tree with PLUGIN instead of building one; then also set LAMMPS_BINARY to its lmp).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

lammps_only=0 force_jar=0 use_apt=1
for arg in "$@"; do
  case $arg in
    --lammps-only) lammps_only=1 ;;
    --jar) force_jar=1 ;;
    --no-apt) use_apt=0 ;;
    *) echo "lammps-build.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { echo "[lammps-build] $*"; }
die() { echo "[lammps-build] ERROR: $*" >&2; exit 1; }

apt_updated=0
apt_update_once() {
  [ "$apt_updated" = 1 ] && return 0
  say "apt-get update"
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt_updated=1
}

# --- 1. system packages ---------------------------------------------------------------------------
need_pkgs=()
for p in openmpi-bin libopenmpi-dev dpkg-dev lammps-data; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
done
for tool in cmake ninja g++; do
  command -v "$tool" >/dev/null || need_pkgs+=("$( [ "$tool" = ninja ] && echo ninja-build || echo "$tool")")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "$use_apt" = 1 ] || die "missing packages: ${need_pkgs[*]}"
  [ "$(id -u)" = 0 ] || die "missing packages ${need_pkgs[*]}; install them as root (apt-get install ${need_pkgs[*]})"
  apt_update_once
  say "installing ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null \
    || die "apt-get install ${need_pkgs[*]} failed"
fi

# --- 2. LAMMPS ------------------------------------------------------------------------------------
# Enables source packages by deriving deb-src entries from the machine's own apt entries (no host names here).
enable_deb_src() {
  local dir=/etc/apt/sources.list.d changed=0 f
  for f in "$dir"/*.sources; do
    [ -e "$f" ] || continue
    case $(basename "$f") in mtpjava-src-*) continue ;; esac
    local out="$dir/mtpjava-src-$(basename "$f")"
    if [ ! -e "$out" ] && grep -q '^Types:.*\bdeb\b' "$f"; then
      sed 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' "$f" > "$out"; changed=1
    fi
  done
  if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list && [ ! -e "$dir/mtpjava-src.list" ]; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$dir/mtpjava-src.list"; changed=1
  fi
  [ "$changed" = 1 ] && apt_updated=0
  return 0
}

source_version() { { apt-cache showsrc lammps 2>/dev/null || true; } | sed -n "s/^Version: //p" | sort -V | tail -1; }

lammps_works() {  # $1 = install prefix: lmp_mtpjava runs, resolves its own library and has PLUGIN
  local lmp="$1/bin/lmp_mtpjava" help libs
  [ -x "$lmp" ] || return 1
  # captured first: `cmd | grep -q` would kill cmd with SIGPIPE, which pipefail reports as failure
  help=$(LD_LIBRARY_PATH="$1/lib:${LD_LIBRARY_PATH:-}" "$lmp" -h 2>/dev/null) || return 1
  libs=$(LD_LIBRARY_PATH="$1/lib:${LD_LIBRARY_PATH:-}" ldd "$lmp") || return 1
  grep -qw PLUGIN <<<"$help" || return 1
  grep -qF "liblammps_mtpjava.so.0 => $1/lib/" <<<"$libs" || return 1
}

if [ -n "${LAMMPS_SOURCE_DIR:-}" ]; then
  [ -f "$LAMMPS_SOURCE_DIR/src/lammpsplugin.h" ] || die "LAMMPS_SOURCE_DIR=$LAMMPS_SOURCE_DIR has no src/lammpsplugin.h"
  lammps_src="$LAMMPS_SOURCE_DIR"
  lammps_prefix=""
  lammps_bin="${LAMMPS_BINARY:-$(command -v lmp || true)}"
  say "using LAMMPS source tree $lammps_src (binary: ${lammps_bin:-not set})"
else
  mkdir -p "$MTPJAVA_CACHE/lammps"
  exec 9>"$MTPJAVA_CACHE/lammps/.lock"
  flock 9   # a second concurrent build waits and then reuses the first one's result

  version=$(source_version)
  if [ -z "$version" ]; then
    [ "$use_apt" = 1 ] || die "no LAMMPS source package visible to apt (deb-src missing)"
    enable_deb_src; apt_update_once
    version=$(source_version)
  fi
  [ -n "$version" ] || die "apt knows no source package 'lammps'; check the apt sources"
  opt_hash=$( { cat "$MTPJAVA_ROOT/cmake/lammps-options.cmake"; cmake --version | head -1; g++ -dumpfullversion; } \
              | sha256sum | cut -c1-12)
  key="${version//[^A-Za-z0-9.+-]/_}-$opt_hash"
  src_parent="$MTPJAVA_CACHE/lammps/src-${version//[^A-Za-z0-9.+-]/_}"
  work="$MTPJAVA_CACHE/lammps/$key"
  lammps_prefix="$work/install"

  if lammps_works "$lammps_prefix" && [ -f "$work/src-dir" ] && [ -f "$(cat "$work/src-dir")/src/lammpsplugin.h" ]; then
    lammps_src=$(cat "$work/src-dir")
    say "reusing cached LAMMPS $version ($key)"
  else
    # source: one unpacked tree per package version, shared by all option sets
    lammps_src=$(find "$src_parent" -mindepth 1 -maxdepth 1 -type d -name 'lammps-*' 2>/dev/null | head -1 || true)
    if [ -z "$lammps_src" ] || [ ! -f "$lammps_src/src/lammpsplugin.h" ]; then
      [ "$use_apt" = 1 ] || die "LAMMPS source not cached and --no-apt given"
      rm -rf "$src_parent"; mkdir -p "$src_parent"
      say "fetching Debian's LAMMPS source package $version"
      ( cd "$src_parent" && apt-get source -qq "lammps=$version" >/dev/null 2>"$src_parent/apt-source.log" ) || {
        enable_deb_src; apt_update_once
        ( cd "$src_parent" && apt-get source -qq "lammps=$version" >/dev/null 2>"$src_parent/apt-source.log" ) \
          || die "apt-get source lammps failed (see $src_parent/apt-source.log)"
      }
      lammps_src=$(find "$src_parent" -mindepth 1 -maxdepth 1 -type d -name 'lammps-*' | head -1)
      [ -f "$lammps_src/src/lammpsplugin.h" ] || die "unpacked LAMMPS source has no src/lammpsplugin.h"
    fi
    rm -rf "$work"; mkdir -p "$work"
    say "configuring LAMMPS ($key); log: $work/build.log"
    t0=$(date +%s)
    say "building LAMMPS (about 5-7 min on 2 cores)"
    { cmake -S "$lammps_src/cmake" -B "$work/build" -G Ninja -C "$MTPJAVA_ROOT/cmake/lammps-options.cmake" \
        -D CMAKE_INSTALL_PREFIX="$lammps_prefix" \
      && cmake --build "$work/build" -j "$(nproc)" \
      && cmake --install "$work/build"; } >"$work/build.log" 2>&1 \
      || { tail -30 "$work/build.log" >&2; die "LAMMPS build failed (full log: $work/build.log)"; }
    lammps_works "$lammps_prefix" || die "built lmp_mtpjava does not run or lacks PLUGIN (see $work/build.log)"
    echo "$lammps_src" > "$work/src-dir"
    rm -rf "$work/build"   # 30+ MB of objects; the install and the source headers are all that is needed
    say "LAMMPS built in $(( $(date +%s) - t0 )) s: $lammps_prefix/bin/lmp_mtpjava"
  fi
  lammps_bin="$lammps_prefix/bin/lmp_mtpjava"
  exec 9>&-
fi
[ "$lammps_only" = 1 ] && exit 0

# --- 3. the jar -----------------------------------------------------------------------------------
jar_dir="${MTPJAVA_BUILD_DIR:-$MTPJAVA_ROOT/java/target}"
jar="$jar_dir/mtpjava.jar"
jar_stale() {  # missing, without the bridge, or older than a Java source (MTPJAVA_JAR_CHECK=exists: only missing)
  [ -f "$jar" ] || return 0
  [ "${MTPJAVA_JAR_CHECK:-}" = exists ] && return 1
  "$JAVA_HOME/bin/jar" tf "$jar" 2>/dev/null | grep -q '^org/mtpjava/bridge/NativeBridge.class$' || return 0
  [ -n "$(find "$MTPJAVA_ROOT/java/src/main" -name '*.java' -newer "$jar" -print -quit)" ] && return 0
  return 1
}
if [ "$force_jar" = 1 ] || jar_stale; then
  say "building $jar"
  "$MTPJAVA_ROOT/scripts/mvn" -q package -DskipTests -Dmtpjava.buildDir="$jar_dir" >/dev/null \
    || die "Maven build of the jar failed (run ./scripts/mvn package -DskipTests to see why)"
fi

# --- 4. shim + plugin -----------------------------------------------------------------------------
native_build="${MTPJAVA_NATIVE_BUILD:-$MTPJAVA_ROOT/build/lammps}"
mkdir -p "$native_build"
say "building shim + plugin in $native_build"
cmake -S "$MTPJAVA_ROOT/cmake" -B "$native_build/cmake" -G Ninja -D CMAKE_BUILD_TYPE=Release \
    -D LAMMPS_SOURCE_DIR="$lammps_src" -D CMAKE_INSTALL_PREFIX="$native_build/install" \
    -D MTPJAVA_DEFAULT_JAR="$jar" >"$native_build/cmake.log" 2>&1 \
  || { cat "$native_build/cmake.log" >&2; die "configuring the plugin failed"; }
cmake --build "$native_build/cmake" >>"$native_build/cmake.log" 2>&1 \
  && cmake --install "$native_build/cmake" >>"$native_build/cmake.log" 2>&1 \
  || { tail -40 "$native_build/cmake.log" >&2; die "building the plugin failed"; }
plugin="$native_build/install/lib/mtpjava/mtpjavaplugin.so"
[ -f "$plugin" ] || die "plugin not installed at $plugin"
# the jar next to the plugin is the install-location fallback of the classpath search
ln -sf "$jar" "$native_build/install/lib/mtpjava/mtpjava.jar"

mpirun_cmd="mpirun"
[ "$(id -u)" = 0 ] && mpirun_cmd="$mpirun_cmd --allow-run-as-root"
mpirun_cmd="$mpirun_cmd --oversubscribe"
cat > "$native_build/env.sh" <<EOF
# Written by scripts/lammps-build.sh: where the LAMMPS tools of this build are.
export MTPJAVA_LMP="$lammps_bin"
export MTPJAVA_LAMMPS_PREFIX="$lammps_prefix"
export MTPJAVA_LAMMPS_SRC="$lammps_src"
export MTPJAVA_PLUGIN="$plugin"
export MTPJAVA_JAR="$jar"
export MTPJAVA_MPIRUN="$mpirun_cmd"
${lammps_prefix:+export LD_LIBRARY_PATH="$lammps_prefix/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"}
EOF
say "ready: lmp=$lammps_bin plugin=$plugin"
