#!/bin/sh
# Install the web view's front-end libraries from the npm registry (exact versions from
# web/package-lock.json) and copy them into sitrep/serve/static/vendor/ (not committed).
set -eu
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null 2>&1; then
    # a fresh machine may lack Node.js: take Debian's
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q nodejs npm || true
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "build_web.sh: npm not found (install Node.js 18+ and npm)" >&2
    exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
node build.mjs
