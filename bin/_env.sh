# Shared by bin/start and bin/test: find Python >= 3.12 and keep .venv up to date.
# shellcheck shell=bash

find_python() {
  local candidate
  for candidate in python3.14 python3.13 python3.12 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  local root="${PYENV_ROOT:-}"
  if [ -z "$root" ] && command -v pyenv >/dev/null 2>&1; then root="$(pyenv root)"; fi
  [ -n "$root" ] || root="$HOME/.pyenv"
  for candidate in $(ls -d "$root"/versions/3.1[2-9]* "$root"/versions/3.[2-9][0-9]* 2>/dev/null | sort -V -r); do
    if "$candidate/bin/python3" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$candidate/bin/python3"
      return 0
    fi
  done
  echo "Samverka needs Python 3.12 or newer: none found on PATH or under pyenv." >&2
  return 1
}

# Install exactly the versions of a lock file under requirements/ (written by
# bin/lock), every file checked against its hash. pip refuses the whole
# install if a dependency is missing from the lock, so a forgotten pin shows
# at once instead of a fresh machine quietly taking a newer release.
ensure_venv() {
  local lock="requirements/$1.txt"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    rm -rf .venv
    "$(find_python)" -m venv .venv
  fi
  # Reinstall only when the lock file changed since the last install.
  local stamp=".venv/.installed-$1-$(sha256sum "$lock" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
      --require-hashes --only-binary :all: -r "$lock"
    .venv/bin/python -m pip check --quiet
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}
