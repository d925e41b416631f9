#!/usr/bin/env bash
# The test command of the README. Installs what the suite needs on a fresh machine (Node.js and
# the Node tools in package.json, a Chromium, nginx), runs every test project, and ends with one line:
# "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

# What the suite needs besides the .NET SDK: Node 20+ with npm (dynalite, asl-validator,
# aws-local-stepfunctions) and a Chromium (browser tests). Installed with apt-get where that is
# possible (root on Debian/Ubuntu); otherwise the run stops here, saying what to install.
can_apt() { [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
need() { echo "!! $1" >&2; echo "0 passed, 1 failed"; exit 1; }

command -v dotnet >/dev/null 2>&1 || need "the .NET SDK is missing: install the version global.json names (https://dot.net)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if can_apt; then
    echo "== installing Node.js and npm (apt-get install nodejs npm)"
    apt_install nodejs npm || need "apt-get could not install nodejs and npm: install Node.js 20 or newer with npm"
  else
    need "Node.js 20 or newer with npm is missing: install it (Debian/Ubuntu as root: apt-get install nodejs npm)"
  fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || need "Node.js $(node --version) is too old: the test tools need Node.js 20 or newer"

if [ ! -x node_modules/.bin/dynalite ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "== installing Node test tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

find_chromium() {
  if [ -n "${CHATDEMO_CHROMIUM:-}" ]; then [ -x "$CHATDEMO_CHROMIUM" ] && return 0; return 1; fi
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1
}
if ! find_chromium; then
  [ -z "${CHATDEMO_CHROMIUM:-}" ] || need "CHATDEMO_CHROMIUM=$CHATDEMO_CHROMIUM is not an executable"
  if can_apt; then
    echo "== installing Chromium for the browser tests (apt-get install chromium)"
    apt_install chromium || need "apt-get could not install chromium: install a Chromium and set CHATDEMO_CHROMIUM to it"
  else
    need "no Chromium found for the browser tests: install one (Debian/Ubuntu as root: apt-get install chromium) or set CHATDEMO_CHROMIUM to its executable"
  fi
fi

# A colour emoji font, so that reactions render in the screenshots rather than as empty boxes
# (the tests pass without it, so a machine that cannot install it only gets poorer pictures).
if can_apt && ! fc-list 2>/dev/null | grep -qi 'emoji'; then
  echo "== installing an emoji font for the screenshots (apt-get install fonts-noto-color-emoji)"
  apt_install fonts-noto-color-emoji || echo "!! could not install fonts-noto-color-emoji: reactions show as boxes in screenshots" >&2
fi

# nginx for the self-hosting tests (the app behind a TLS proxy); Debian puts it in /usr/sbin.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if can_apt; then
    echo "== installing nginx for the self-hosting tests (apt-get install nginx-light)"
    apt_install nginx-light || need "apt-get could not install nginx-light: install nginx"
  else
    need "nginx is missing for the self-hosting tests: install it (Debian/Ubuntu as root: apt-get install nginx-light)"
  fi
fi

# cfn-lint (a Python tool, not packaged by Debian) checks infra/template.yaml with the SAM
# transform applied; pip installs it where Python is present.
if ! command -v cfn-lint >/dev/null 2>&1; then
  if command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
    echo "== installing cfn-lint for the template tests (pip install cfn-lint)"
    python3 -m pip install -q cfn-lint || need "pip could not install cfn-lint: install it (pip install cfn-lint)"
    hash -r
  fi
  command -v cfn-lint >/dev/null 2>&1 || need "cfn-lint is missing for the template tests: install Python 3 with pip, then 'pip install cfn-lint'"
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
# Soak tests (docs/reliability.md) run only when asked: ./test.sh --filter Category=Soak
filter=(--filter "Category!=Soak")
case " $* " in *" --filter "*) filter=() ;; esac
dotnet test ChatDemo.sln --nologo \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m "${filter[@]}" "$@" || status=$?

# The Kestrel-mode integration suite, the bad-input corpus and the chaos run again, on the
# DynamoDB store (dynalite): the two stores must be indistinguishable to a client. Its own trx
# files (prefixed) are counted below too.
echo "== Kestrel-mode suite, bad input and chaos on DynamoDB (dynalite)"
on_dynamodb="FullyQualifiedName~ChatDemo.Web.Tests.Kestrel"
on_dynamodb+="|FullyQualifiedName~ChatDemo.Web.Tests.Reliability.BadInputTests"
on_dynamodb+="|FullyQualifiedName~ChatDemo.Web.Tests.Reliability.MetacharacterRoundTripTests"
on_dynamodb+="|FullyQualifiedName~ChatDemo.Web.Tests.Reliability.ChaosTests"
CHATDEMO_TEST_STORE=DynamoDb dotnet test ChatDemo.Web.Tests --nologo \
  --logger "trx;LogFilePrefix=dynamodb" --results-directory "$results" \
  --blame-hang-timeout 10m --filter "($on_dynamodb)&Category!=Soak" || status=$?

# The page's modules (wwwroot/) have unit tests on Node's own runner; their TAP summary is counted too.
echo "== page modules: node --test ChatDemo.Web.Tests/Page"
tap="$results/page.tap"
node --test --test-reporter=tap ChatDemo.Web.Tests/Page/*.test.mjs > "$tap" || { status=1; grep -A12 '^ *not ok' "$tap" || cat "$tap"; }
tap_count() { grep -o "^# $1 [0-9]*" "$tap" | grep -o '[0-9]*$' || echo 0; }

passed=$(tap_count pass); failed=$(($(tap_count fail) + $(tap_count cancelled))); skipped=$(($(tap_count skipped) + $(tap_count todo)))
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + p)); failed=$((failed + f + e + t + a)); skipped=$((skipped + total - executed))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or run failure counts
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
