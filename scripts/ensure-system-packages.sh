#!/usr/bin/env bash
# Make sure the system programs the project needs are installed.
# Usage: scripts/ensure-system-packages.sh graphviz [pango] [jdk] [chromium]
# Installs missing Debian packages when running as root with apt-get; otherwise stops with a
# message naming what to install.
set -euo pipefail

missing_pkgs=()
need() { # need COMMAND DEBIAN_PACKAGE HUMAN_NAME
  command -v "$1" >/dev/null 2>&1 || missing_pkgs+=("$2:$3")
}
need_lib() { # need_lib SONAME DEBIAN_PACKAGE HUMAN_NAME
  { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q "$1" \
    || missing_pkgs+=("$2:$3")
}

for what in "$@"; do
  case "$what" in
    graphviz) need dot graphviz "Graphviz (the 'dot' program)" ;;
    pango) need_lib libpango-1.0.so libpango-1.0-0 "Pango (WeasyPrint's PDF text layout)"
           need_lib libpangoft2-1.0.so libpangoft2-1.0-0 "PangoFT2" ;;
    jdk) need java openjdk-17-jdk-headless "a Java 17 JDK"; need mvn maven "Maven" ;;
    chromium) need chromium chromium "Chromium"; need chromedriver chromium-driver "ChromeDriver" ;;
    *) echo "unknown requirement: $what" >&2; exit 2 ;;
  esac
done

[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

pkgs=(); names=()
for item in "${missing_pkgs[@]}"; do pkgs+=("${item%%:*}"); names+=("${item#*:}"); done

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${pkgs[*]} (needed: ${names[*]})..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${pkgs[@]}" >/tmp/pathways-apt.log 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq "${pkgs[@]}" >/tmp/pathways-apt.log 2>&1 || {
      echo "Could not install ${pkgs[*]}; see /tmp/pathways-apt.log" >&2; exit 1; }
  fi
  exit 0
fi

echo "Missing: ${names[*]}." >&2
echo "Install it first, e.g. 'sudo apt-get install ${pkgs[*]}' (Debian/Ubuntu)" >&2
echo "or 'brew install ${pkgs[*]/openjdk-17-jdk-headless/openjdk@17}' (macOS), then run make again." >&2
exit 1
