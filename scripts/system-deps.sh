#!/usr/bin/env bash
# Installs the system packages the project needs, through apt when run as root.
#   scripts/system-deps.sh run   -> WeasyPrint libraries (pango, libharfbuzz-subset0), CJK fonts,
#                                   redis-server (`make run`'s broker and cache without REDIS_URL)
#   scripts/system-deps.sh test  -> the same plus Debian's Chromium for the browser tests
#   scripts/system-deps.sh bench -> the same plus wrk, the HTTP load generator of `make bench`,
#                                   and poppler-utils (pdffonts) for the PDF figures
# Without root it stops with the list of what to install.
set -euo pipefail
mode=${1:-run}
missing=()

# Read each listing once: `cmd | grep -q` under pipefail fails when grep exits early (SIGPIPE).
libs=$(ldconfig -p 2>/dev/null || true)
fonts=$(fc-list 2>/dev/null || true)
have_lib() { grep -q "$1" <<<"$libs"; }

have_lib "libpango-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
# Without harfbuzz-subset WeasyPrint falls back to fontTools: 3-12 s a page of Chinese.
have_lib "libharfbuzz-subset.so.0" || missing+=(libharfbuzz-subset0)
grep -qi "WenQuanYi Micro Hei" <<<"$fonts" || missing+=(fonts-wqy-microhei fontconfig)
grep -qi "Noto Sans CJK" <<<"$fonts" || missing+=(fonts-noto-cjk)
# msgfmt, for compilemessages (the .mo files are built, not committed).
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# Without REDIS_URL, `make run` serves Celery's broker and the cache from it (scripts/redis.sh).
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "$mode" = "test" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fi
if [ "$mode" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  # pdffonts: the PDF figures check that only the embedded, subset CJK face is used.
  command -v pdffonts >/dev/null 2>&1 || missing+=(poppler-utils)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them (Debian/Ubuntu): sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
