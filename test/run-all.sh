#!/usr/bin/env bash
# `npm test`: the same suites as CI — lint, typecheck, unit, integration (real Orthanc, DCMTK,
# dicom3tools), end to end (Debian Chromium). Services are started and stopped by the tests
# themselves (test/services). Ends with one line: "N passed, N failed", summed over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."

# binary → Debian package that provides it
declare -A REQUIRED=(
  [Orthanc]=orthanc [storescp]=dcmtk [storescu]=dcmtk [wlmscpfs]=dcmtk [findscu]=dcmtk
  [dump2dcm]=dcmtk [dcmdump]=dcmtk [dciodvfy]=dicom3tools [chromium]=chromium [ffmpeg]=ffmpeg
)
missing=()
for bin in "${!REQUIRED[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("${REQUIRED[$bin]}")
done
[ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  echo "npm test needs Debian packages that are missing: ${pkgs}"
  echo "install them with: sudo apt-get install -y ${pkgs}"
  exit 1
fi

# Every temporary folder the tests make (spools, Orthanc storage, Chromium profiles) goes under one
# folder removed at the end, pass or fail: a run used to leave ~120 folders in /tmp.
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/capture-station-tests-XXXXXX")
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT

results=$(mktemp -d)
passed=0
failed=0

check() { # name, command...: a lint-style step counts as one check
  local name=$1; shift
  echo "== ${name}"
  if "$@"; then passed=$((passed + 1)); else echo "!! ${name} failed"; failed=$((failed + 1)); fi
}

suite() { # vitest project name
  local project=$1
  echo "== ${project} tests"
  npx vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json="${results}/${project}.json"
  local status=$?
  if [ -f "${results}/${project}.json" ]; then
    read -r p f < <(node -e '
      const r = require(process.argv[1]);
      console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites || 0));
    ' "${results}/${project}.json")
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
  else
    echo "!! ${project}: vitest wrote no results"; failed=$((failed + 1))
  fi
}

# Lint and typecheck are independent and CPU-bound: run them side by side on the two cores.
typecheck_log=$(mktemp)
( npm run --silent typecheck >"$typecheck_log" 2>&1 ) &
typecheck_pid=$!
check lint npm run --silent lint
echo "== typecheck"
if wait "$typecheck_pid"; then passed=$((passed + 1)); else cat "$typecheck_log"; echo "!! typecheck failed"; failed=$((failed + 1)); fi
rm -f "$typecheck_log"
check build npm run --silent build
suite unit
suite integration
suite e2e

rm -rf "$results"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
