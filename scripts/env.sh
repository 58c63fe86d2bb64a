# Sourced by every mtpjava script: selects a JDK >= 25 without hard-coding its path.
# Respects a JAVA_HOME that is already >= 25; otherwise searches the system JVM directory
# (found from the default `java` on PATH) for a JDK whose `release` file says >= 25.
mtpjava_java_feature() {
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
mtpjava_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(mtpjava_java_feature "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  local dirs=""
  if command -v java >/dev/null 2>&1; then
    dirs="$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")"
  fi
  dirs="$dirs /usr/lib/jvm /usr/local/lib/jvm /opt"
  local base d v
  for base in $dirs; do
    for d in "$base"/*/; do
      v=$(mtpjava_java_feature "$d")
      if [ "${v:-0}" -ge 25 ] 2>/dev/null; then
        export JAVA_HOME="${d%/}"
        return 0
      fi
    done
  done
  echo "mtpjava: no JDK >= 25 found (looked in: $dirs). Install one or set JAVA_HOME." >&2
  return 1
}
mtpjava_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
MTPJAVA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MTPJAVA_ROOT
export MTPJAVA_CACHE="${MTPJAVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mtpjava}"
