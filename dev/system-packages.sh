#!/usr/bin/env bash
# Debian packages the tests use as reference clients and real servers: GNU gettext (msgfmt -c,
# msginit), Chromium + Noto fonts (pages rendered as a browser shows them), PostgreSQL (the team
# TM's server), php-symfony-translation (only for the OASIS xliff-core-1.2-strict.xsd and xml.xsd
# it ships, which tests/test_xliff.py validates every XLIFF export against), omegat (OmegaT 3.6,
# the volunteers' CAT tool: tests/test_xliff_tools.py runs it in console mode on `tmkit xliff
# export --for omegat`), GNU time (/usr/bin/time -v: the peak memory of tmkit on inflating .docx
# files, tests/hardening/test_hostile_docx.py), npm (Node.js: to fetch axe-core, the accessibility
# engine tests/test_site.py runs in Chromium, into ~/.cache/tmkit/axe-core), Pango (WeasyPrint's text layout: the PDF handouts of
# tmkit build) and poppler-utils (pdftotext, pdffonts: tests/test_writers_pdf.py reads the handouts). Installs what is missing when it can (root with apt-get, as on CI and the project's
# machines); otherwise says what is missing, and the tests that need it skip with a reason.
# Usage: dev/system-packages.sh [--bench]   (--bench adds po4a, the benchmarks' anchor)
set -u
want=(gettext:msgfmt chromium:chromium fonts-noto-core:/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf
      fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc postgresql:/usr/lib/postgresql
      php-symfony-translation:/usr/share/php/Symfony/Component/Translation/Resources/schemas/xliff-core-1.2-strict.xsd
      omegat:/usr/share/omegat/OmegaT.jar time:/usr/bin/time npm:npm
      libpango-1.0-0:/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0 libpangoft2-1.0-0:/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0
      poppler-utils:pdftotext)
[ "${1:-}" = "--bench" ] && want+=(po4a:po4a)
missing=()
for item in "${want[@]}"; do
  package=${item%%:*} probe=${item#*:}
  if [[ $probe == /* ]]; then [ -e "$probe" ] || missing+=("$package")
  else command -v "$probe" >/dev/null 2>&1 || missing+=("$package"); fi
done
# axe-core (npm package, pinned) for the accessibility tests: into the user's cache, not the repository.
AXE_VERSION=4.14.1
axe_dir="${HOME}/.cache/tmkit/axe-core"
install_axe() {
  [ -f "$axe_dir/node_modules/axe-core/axe.min.js" ] && return 0
  command -v npm >/dev/null 2>&1 || { echo "axe-core not installed: npm missing; the accessibility tests will skip"; return 0; }
  mkdir -p "$axe_dir" && npm install --silent --no-save --no-audit --no-fund --prefix "$axe_dir" \
    "axe-core@$AXE_VERSION" >/dev/null 2>&1 \
    || echo "could not install axe-core $AXE_VERSION from npm; the accessibility tests will skip"
}
trap install_axe EXIT
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1; then
    echo "could not install ${missing[*]}; the tests that need them will skip"
  fi
else
  echo "missing Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]}); the tests that need them will skip"
fi
exit 0
