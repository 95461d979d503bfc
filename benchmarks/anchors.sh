#!/usr/bin/env bash
# The anchor tools the benchmarks run beside tmkit: po4a (pipeline_bench.py) and GNU gettext's
# msgmerge/msgunfmt (tm_bench.py).  Installs the missing ones from Debian packages, quietly.
set -euo pipefail
missing=()
command -v po4a >/dev/null 2>&1 || missing+=(po4a)
{ command -v msgmerge >/dev/null 2>&1 && command -v msgunfmt >/dev/null 2>&1; } || missing+=(gettext)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "bench: please install ${missing[*]} (no apt-get here)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "bench: installing ${missing[*]} (apt-get)"
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
