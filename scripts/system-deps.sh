#!/usr/bin/env bash
# Debian packages the tests need: Qt's runtime libraries, qpdf and poppler (to check and render
# PDFs), gnome-keyring and D-Bus (a real Secret Service), Xvfb. Installs what is missing when it
# can (root with apt-get); otherwise names what is missing and fails.
set -euo pipefail
packages=(qpdf poppler-utils gnome-keyring dbus libsecret-tools libegl1 libgl1 libxkbcommon0
          libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 xvfb libxcb-cursor0)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages the tests need: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
