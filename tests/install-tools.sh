#!/bin/sh
# What the test suite needs beyond Python packages, from Debian's packages, installed only where missing:
#   chromium              browser tests (Playwright drives /usr/bin/chromium; never `playwright install`)
#   default-jre-headless  the Nu HTML Checker (vnu.jar, from npm)
#   postgresql            the throwaway PostgreSQL cluster the tests start
#   npm                   to fetch vnu.jar
#   ffmpeg                BSL video checks (ffprobe) and poster frames
#   redis-server          a throwaway Redis, to test rate limits shared between app machines
set -eu
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
command -v npm >/dev/null 2>&1 || need="$need npm"
command -v ffprobe >/dev/null 2>&1 || need="$need ffmpeg"
command -v redis-server >/dev/null 2>&1 || need="$need redis-server"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Install these Debian packages for the full test suite:$need" >&2
  exit 0  # the tests that need them are skipped locally (and fail in CI)
fi
echo "Installing:$need"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need >/dev/null
