#!/usr/bin/env bash
# Includes point down the layers (docs/ARCHITECTURE.md, "Layers" and "Feature folders"): lists
# every project include a file may not make, and fails. Usage: check-layers.sh SOURCE_DIR
#
#   core      core
#   domain    core domain
#   store     core domain store                       (the kernel knows no feature)
#   http      core http
#   interop   core domain store interop
#   jobs      core domain store jobs
#   web       core domain store http interop web, and features' public headers (*.hpp under
#             features/*/domain and features/*/store, and features/*/web/*.hpp, where a feature
#             declares the function that registers its pages)
#   app       anything
#   features/F/domain   core domain, features/F/domain
#   features/F/store    core domain store, features/F/{domain,store}
#   features/F/web      core domain store http interop web, features/F/*
#   and from a feature, another feature G only through G's public headers (features/G/domain/*.hpp,
#   features/G/store/*.hpp, and from a feature's web features/G/web/*.hpp, the page helpers G
#   offers other features), never G's web sources.
set -uo pipefail
cd "$1" || exit 2

allowed() {  # allowed FILE INCLUDE -> 0 when FILE may include INCLUDE
  local file=$1 inc=$2 layer feature sub
  case $file in
    src/features/*)
      feature=${file#src/features/}
      sub=${feature#*/}
      feature=${feature%%/*}
      sub=${sub%%/*}
      case $inc in
        features/"$feature"/*)
          local target=${inc#features/"$feature"/}
          target=${target%%/*}
          case $sub:$target in
            domain:domain | store:domain | store:store | web:*) return 0 ;;
            *) return 1 ;;
          esac
          ;;
        features/*/domain/*.hpp | features/*/store/*.hpp) [[ $sub != domain ]] && return 0 || return 1 ;;
        features/*/web/*.hpp) [[ $sub == web ]] && return 0 || return 1 ;;
        features/*) return 1 ;;
      esac
      layer=$sub
      ;;
    src/*)
      layer=${file#src/}
      layer=${layer%%/*}
      ;;
    *) return 0 ;;
  esac
  local top=${inc%%/*}
  case $layer in
    core) [[ $top == core ]] ;;
    domain) [[ $top == core || $top == domain ]] ;;
    store) [[ $top == core || $top == domain || $top == store ]] ;;
    http) [[ $top == core || $top == http ]] ;;
    interop) [[ $top =~ ^(core|domain|store|interop)$ ]] ;;
    jobs) [[ $top =~ ^(core|domain|store|jobs)$ ]] ;;
    web)
      case $inc in
        features/*/domain/*.hpp | features/*/store/*.hpp | features/*/web/*.hpp) return 0 ;;
        features/*) return 1 ;;
      esac
      [[ $top =~ ^(core|domain|store|http|interop|web)$ ]]
      ;;
    app) return 0 ;;
    *) return 1 ;;
  esac
}

mapfile -t files < <(git ls-files --cached --others --exclude-standard 'src/*.cpp' 'src/*.hpp' 2>/dev/null || find src -name '*.cpp' -o -name '*.hpp')
bad=0
for f in "${files[@]}"; do
  while IFS= read -r inc; do
    # Only the project's own headers (a folder of src/); system and library headers use <>.
    [[ -e src/$inc ]] || continue
    if ! allowed "$f" "$inc"; then
      echo "layers: $f includes \"$inc\", which its layer may not (docs/ARCHITECTURE.md, Layers)"
      bad=$((bad + 1))
    fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
echo "layers: ${#files[@]} files checked, $bad includes against the layers"
[[ $bad -eq 0 ]]
