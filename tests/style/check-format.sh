#!/usr/bin/env bash
# The C++ sources follow the repository's .clang-format: lists each file that does not (and
# what differs), and fails. `make format` rewrites them. Usage: check-format.sh SOURCE_DIR
set -uo pipefail
cd "$1" || exit 2
if ! command -v clang-format >/dev/null 2>&1; then
  echo "format: clang-format is not installed (scripts/install-deps installs it)"
  exit 1
fi
mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' 2>/dev/null ||
                     find src tests bench -name '*.cpp' -o -name '*.hpp')
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "format: $f differs from .clang-format (run: make format)"
    bad=$((bad + 1))
  fi
done
echo "format: ${#files[@]} files checked, $bad to reformat"
[[ $bad -eq 0 ]]
