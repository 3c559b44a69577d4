#!/bin/sh
# Install Debian's Chromium for the headless browser test (tests/test_browser.py).
# Playwright drives it through its executable path; Playwright's own browser download is not used.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "install_browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
