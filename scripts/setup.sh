#!/usr/bin/env bash
# Install Workbench (the mlworkbench distribution) into ./.venv on a Debian or Ubuntu machine.
#   scripts/setup.sh        the application
#   scripts/setup.sh --dev  the application and what the tests need
#
# Qt needs a few system libraries (and venv needs python3-venv on Debian). Missing ones are
# installed with apt when we may (root, or sudo without a password); apt waits up to five
# minutes for a lock held by another process (unattended upgrades on a fresh machine).
# Without those rights, or when apt fails, the exact apt command is printed and the venv is
# built anyway: the command line works without the Qt libraries.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }
warn() { echo "setup: $*" >&2; }

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"
python=${PYTHON:-python3}

packages=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
          libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
          libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0)
[ -x .venv/bin/python ] || "$python" -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)

missing=()
if command -v dpkg-query >/dev/null; then
  say "checking the system libraries Qt needs"
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
      || missing+=("$package")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  apt_get=(apt-get -o DPkg::Lock::Timeout=300)
  install_command="apt-get install -y --no-install-recommends ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  fi
  if [ "$(id -u)" -eq 0 ] || [ ${#sudo[@]} -gt 0 ]; then
    say "installing with apt (waits up to 5 minutes for another apt to finish): ${missing[*]}"
    as_root=(${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive)
    if "${as_root[@]}" "${apt_get[@]}" update -qq \
        && "${as_root[@]}" "${apt_get[@]}" install -y -qq --no-install-recommends \
             "${missing[@]}" >/dev/null; then
      say "system libraries installed"
    else
      warn "apt failed; install them later with:"
      warn "  sudo apt-get update && sudo $install_command"
    fi
  else
    warn "these system packages are missing and installing them needs root:"
    warn "  sudo apt-get update && sudo $install_command"
    warn "continuing: the command line works without them, the windows need them"
  fi
else
  say "system libraries present"
fi

if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $("$python" --version 2>&1)"
  "$python" -m venv .venv
fi
pip=(.venv/bin/python -m pip -q --disable-pip-version-check)
say "upgrading pip"
"${pip[@]}" install --upgrade pip
# Before the rename to mlworkbench an earlier setup installed this checkout as "workbench";
# two distributions would then fight over the workbench command.
old=$(.venv/bin/python -m pip show workbench 2>/dev/null \
      | sed -n 's/^Editable project location: //p' || true)  # -q would hide what show says
if [ -n "$old" ] && { [ "$old" = "$PWD" ] || [ "$old" = "$(pwd -P)" ]; }; then
  say "removing this checkout's install under its old name 'workbench'"
  "${pip[@]}" uninstall -y workbench
fi
say "installing mlworkbench${extras} from this checkout (editable) and its dependencies"
"${pip[@]}" install -e ".${extras}"
say "done: .venv/bin/workbench --help"
