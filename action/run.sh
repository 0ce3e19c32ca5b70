#!/usr/bin/env bash
# The steps of the plan-lint GitHub Action (action.yml), one subcommand each:
#
#   run.sh build-key   outputs `key` and `root`: where plan-lint is cached, and `mode`: `release`
#                      (with `version` and `target`) when the action's ref or the version input
#                      names a release, else `source`
#   run.sh install     puts plan-lint on PATH: from the cache, else the release binary (its
#                      SHA-256 checked), else built from the action's source with cargo
#   run.sh lint        lints, prints annotations, writes the job summary and the SARIF log;
#                      outputs `exit-code` and `sarif-file`; fails only when reporting failed
#   run.sh sarif-upload outputs `upload`: whether to upload the SARIF log (not from a fork's
#                      pull request, whose token cannot write code scanning alerts)
#   run.sh report      writes the status report page (`plan-lint report`), its findings linked
#                      to their lines at this commit; outputs `report-file`
#   run.sh report-summary links the uploaded report from the job summary
#   run.sh verdict     fails the job unless plan-lint's exit status was 0
#
# It reads GitHub's variables (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
# GITHUB_PATH, RUNNER_OS, RUNNER_ARCH) and the INPUT_* variables that action.yml sets, so
# tests can run every step with a simulated environment (and GITHUB_SERVER_URL,
# GITHUB_REPOSITORY for the report's source links).
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

# A step output in GitHub's multi-line form, `name<<DELIMITER`, with a delimiter no input can
# guess: a value holding a newline (an input, a path) cannot write a second output.
output() {
  local delimiter
  delimiter="plan_lint_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  if [[ "$2" == *"$delimiter"* ]]; then
    echo "::error title=plan-lint::an output value holds its own delimiter" >&2
    exit 2
  fi
  printf '%s<<%s\n%s\n%s\n' "$1" "$delimiter" "$2" "$delimiter" >>"$GITHUB_OUTPUT"
}

# The release this action's ref names, or the `version` input: the action at a version tag
# (v1, v1.2, v1.2.3) is the source of that release, and its Cargo.toml says which one. Empty
# for a branch or a commit (@main), which is built from source.
release_version() {
  local version="${INPUT_VERSION:-}"
  if [ -n "$version" ]; then
    version="${version#v}"
    if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
      # Not echoed: the input is the workflow's text, and this line is a workflow command.
      echo "::error title=plan-lint::the version input is not a version such as 0.2.0" >&2
      exit 1
    fi
    printf '%s' "$version"
  elif [[ "${GITHUB_ACTION_REF:-}" =~ ^v[0-9]+(\.[0-9]+){0,2}$ ]]; then
    sed -n 's/^version = "\([0-9][0-9A-Za-z.-]*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1
  fi
}

# The release target built for the runner's OS and architecture; empty when there is none.
release_target() {
  case "${RUNNER_OS:-}-${RUNNER_ARCH:-}" in
    Linux-X64) echo x86_64-unknown-linux-musl ;;
    Linux-ARM64) echo aarch64-unknown-linux-gnu ;;
    macOS-X64) echo x86_64-apple-darwin ;;
    macOS-ARM64) echo aarch64-apple-darwin ;;
    Windows-X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

build_key() {
  local version target key
  version="$(release_version)"
  target="$(release_target)"
  if [ -n "$version" ] && [ -n "$target" ]; then
    key="plan-lint-release-$version-$target"
    output mode release
    output version "$version"
    output target "$target"
  else
    # Everything the binary is built from: sources, manifests, the lock file, the rule pages.
    local digest
    digest="$(cd "$action_path" &&
      find . -path ./target -prune -o -type f \( -name '*.rs' -o -name 'Cargo.toml' \
        -o -name 'Cargo.lock' -o -path './rules/*.md' -o -name '*.css' -o -name '*.js' \) -print |
      LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
    key="plan-lint-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$digest"
    output mode source
  fi
  output key "$key"
  output root "$HOME/.plan-lint-action/$key"
}

sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# Fetch URL into FILE; prints the HTTP status (000 when nothing answered).
fetch() {
  curl --silent --show-error --location --retry 2 --output "$2" --write-out '%{http_code}' "$1" || true
}

# Download the release binary into $root/bin, checking it against its published SHA-256.
# Returns 1 (after saying why) when the release has no asset for this runner, so that the
# caller builds from source; exits when an asset is there but does not match its checksum.
download_release() {
  local root="$1" version="$2" target="$3" exe="$4"
  local base="${PLAN_LINT_RELEASE_URL:-https://github.com/plan-lint/plan-lint/releases/download}"
  local name="plan-lint-$version-$target" asset
  case "$target" in *windows*) asset="$name.zip" ;; *) asset="$name.tar.gz" ;; esac
  local tmp status
  tmp="$(mktemp -d "${RUNNER_TEMP:-/tmp}/plan-lint-release.XXXXXX")"
  status="$(fetch "$base/v$version/$asset" "$tmp/$asset")"
  if [ "$status" != 200 ]; then
    echo "::notice title=plan-lint::no release asset $asset for plan-lint $version (HTTP $status): building from source"
    rm -rf "$tmp"
    return 1
  fi
  status="$(fetch "$base/v$version/$asset.sha256" "$tmp/$asset.sha256")"
  if [ "$status" != 200 ]; then
    echo "::error title=plan-lint::the release asset $asset has no published checksum (HTTP $status): refusing to install it"
    exit 1
  fi
  local expected actual
  expected="$(cut -d' ' -f1 <"$tmp/$asset.sha256" | tr -d '\r\n')"
  actual="$(sha256_of "$tmp/$asset")"
  if [[ ! "$expected" =~ ^[0-9a-f]{64}$ ]] || [ "$expected" != "$actual" ]; then
    echo "::error title=plan-lint::the downloaded $asset does not match its published SHA-256 checksum: refusing to install it (the release or the download was tampered with or corrupted)"
    exit 1
  fi
  case "$asset" in
    *.zip)
      if command -v unzip >/dev/null; then
        unzip -q "$tmp/$asset" -d "$tmp"
      else
        powershell -NoProfile -Command "Expand-Archive -LiteralPath '$tmp/$asset' -DestinationPath '$tmp'"
      fi
      ;;
    *) tar -xzf "$tmp/$asset" -C "$tmp" ;;
  esac
  local binary="$tmp/$name/$exe"
  if [ ! -f "$binary" ] || ! "$binary" --version >/dev/null 2>&1; then
    echo "::error title=plan-lint::the release asset $asset holds no working $exe"
    exit 1
  fi
  mkdir -p "$root/bin"
  mv "$binary" "$root/bin/$exe"
  rm -rf "$tmp"
  echo "plan-lint $version downloaded ($asset, SHA-256 checked)"
}

# The folder as the runner reads GITHUB_PATH: a Windows path on Windows.
runner_path() {
  if command -v cygpath >/dev/null; then cygpath -w "$1"; else printf '%s' "$1"; fi
}

install() {
  local root="${PLAN_LINT_ROOT:?PLAN_LINT_ROOT is not set}"
  local exe=plan-lint
  case "${RUNNER_OS:-}" in Windows) exe=plan-lint.exe ;; esac
  if [ -x "$root/bin/$exe" ] && "$root/bin/$exe" --version >/dev/null 2>&1; then
    echo "plan-lint $("$root/bin/$exe" --version | cut -d' ' -f2) restored from the cache"
  elif [ "${PLAN_LINT_MODE:-source}" = release ] &&
    download_release "$root" "${PLAN_LINT_VERSION:?}" "${PLAN_LINT_TARGET:?}" "$exe"; then
    :
  else
    if ! command -v cargo >/dev/null; then
      echo "::error title=plan-lint::cargo is not on PATH: add a Rust toolchain step (for example dtolnay/rust-toolchain@stable) before plan-lint, or use a released version of the action (plan-lint/plan-lint@v0.2.0)"
      exit 1
    fi
    cargo install --locked --path "$action_path" --root "$root"
  fi
  printf '%s\n' "$(runner_path "$root/bin")" >>"$GITHUB_PATH"
}

# The revision a pull request or push started from; empty when the event has none.
base_revision() {
  local base=""
  case "${EVENT_NAME:-}" in
    pull_request | pull_request_target) base="${PULL_REQUEST_BASE_SHA:-}" ;;
    push) base="${PUSH_BEFORE_SHA:-}" ;;
  esac
  # A push that created a branch has an all-zero `before`.
  if [[ ! "$base" =~ ^[0-9a-f]{40}$ ]] || [[ "$base" =~ ^0+$ ]]; then
    return 0
  fi
  # actions/checkout fetches one commit by default: fetch the base too.
  if ! git cat-file -e "$base^{commit}" 2>/dev/null &&
    ! git fetch --no-tags --quiet --depth=1 origin "$base" >&2; then
    # The base is 40 hex digits (checked above): safe in a workflow command.
    echo "::warning title=plan-lint::only-changed: the base revision $base could not be fetched from origin, so findings in every plan are reported (check out with fetch-depth: 0, or make sure the base commit exists)" >&2
    return 0
  fi
  printf '%s' "$base"
}

# Whether to upload the SARIF log. On a pull request from a fork GitHub gives a read-only
# token: the upload would fail the job whatever the plans say, so it is skipped with a notice
# and the verdict comes from the lint alone.
sarif_upload() {
  if [ "${INPUT_UPLOAD_SARIF:-false}" != "true" ]; then
    output upload false
    return 0
  fi
  case "${EVENT_NAME:-}" in
    pull_request | pull_request_review | pull_request_review_comment)
      if [ -n "${HEAD_REPOSITORY:-}" ] && [ "${HEAD_REPOSITORY}" != "${GITHUB_REPOSITORY:-}" ]; then
        echo "::notice title=plan-lint::the SARIF log was not uploaded: this pull request comes from a fork, whose token cannot write code scanning alerts; the annotations and the job summary show every finding"
        output upload false
        return 0
      fi
      ;;
  esac
  output upload true
}

lint() {
  local sarif="${INPUT_SARIF_FILE:-plan-lint.sarif}"
  local summary
  summary="$(mktemp "${RUNNER_TEMP:-/tmp}/plan-lint-summary.XXXXXX")"
  local args=(check --format github --sarif "$sarif" --markdown "$summary")
  if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
  if [ -n "${INPUT_FAIL_ON:-}" ]; then args+=(--fail-on "$INPUT_FAIL_ON"); fi
  if [ "${INPUT_ONLY_CHANGED:-false}" = "true" ]; then
    local base
    base="$(base_revision)"
    if [ -n "$base" ]; then
      args+=(--changed-since "$base")
    else
      echo "::notice title=plan-lint::only-changed: no base revision to compare with, so findings in every plan are reported"
    fi
  fi
  read_paths
  rm -f "$sarif"
  local code=0
  plan-lint "${args[@]}" -- "${paths[@]}" || code=$?
  output exit-code "$code"
  output sarif-file "$sarif"

  # The complete report goes to the job summary: GitHub shows only about ten annotations of
  # each level per step.
  if [ -s "$summary" ]; then
    local limit=1000000 # GitHub's job summary limit is 1 MiB
    if [ "$(wc -c <"$summary")" -gt "$limit" ]; then
      head -c "$((limit - 300))" "$summary" >>"$GITHUB_STEP_SUMMARY"
      printf '\n\n…cut at the 1 MiB limit of a job summary: the SARIF log %s holds every finding.\n' "$sarif" >>"$GITHUB_STEP_SUMMARY"
    else
      cat "$summary" >>"$GITHUB_STEP_SUMMARY"
    fi
  fi
  rm -f "$summary"
  if [ ! -s "$sarif" ]; then
    echo "::error title=plan-lint::plan-lint could not run (exit status $code); its messages are in the log above"
    exit "$(( code == 0 ? 2 : code ))"
  fi
}

# The paths input as an array, into the global `paths`: one path per line; a single line may
# hold several separated by spaces.
read_paths() {
  paths=()
  local line
  if [[ "${INPUT_PATHS:-.}" == *$'\n'* ]]; then
    while IFS= read -r line; do
      if [ -n "${line// /}" ]; then paths+=("$line"); fi
    done <<<"${INPUT_PATHS}"
  else
    read -r -a paths <<<"${INPUT_PATHS:-.}"
  fi
}

report() {
  local file="${INPUT_REPORT_FILE:-plan-lint-report.html}"
  local args=(report --output "$file")
  if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
  # Links to each finding's line at this commit, when the repository's address is what GitHub
  # gives (a server URL and owner/name): nothing else is put into the link template.
  local server="${GITHUB_SERVER_URL:-}" repository="${GITHUB_REPOSITORY:-}"
  if [[ "$server" =~ ^https?://[A-Za-z0-9.:-]+$ ]] && [[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
    args+=(--source-url "$server/$repository/blob/{commit}/{path}#L{line}")
  fi
  read_paths
  mkdir -p "$(dirname "$file")"
  local code=0
  plan-lint "${args[@]}" -- "${paths[@]}" || code=$?
  if [ ! -s "$file" ]; then
    echo "::error title=plan-lint::the status report could not be written (exit status $code); see the log above"
    exit 2
  fi
  if [ "$code" -ne 0 ]; then
    echo "::warning title=plan-lint::the status report was written, but some paths could not be read (exit status $code); the report lists them"
  fi
  output report-file "$file"
}

# The job summary links the report artifact; the address is GitHub's own, checked to be one
# (nothing else reaches the Markdown).
report_summary() {
  local url="${ARTIFACT_URL:-}"
  if [[ ! "$url" =~ ^https://[A-Za-z0-9./_:-]+$ ]]; then
    echo "::warning title=plan-lint::the status report was uploaded, but its artifact has no address to link from the job summary"
    return 0
  fi
  printf '\n### Status report\n\n[Download the status report](%s): one HTML page with every plan'"'"'s health, timeline, RAID log, people, review calendar and findings (unzip it and open it in a browser).\n' "$url" >>"$GITHUB_STEP_SUMMARY"
}

verdict() {
  case "${EXIT_CODE:-}" in
    0) echo "plan-lint: no findings at or above the fail-on level" ;;
    1)
      echo "::error title=plan-lint::plan-lint found problems at or above the fail-on level: see the annotations and the job summary"
      exit 1
      ;;
    2)
      echo "::error title=plan-lint::the plan-lint run went wrong (a path or the config could not be read): see the log"
      exit 2
      ;;
    *)
      echo "::error title=plan-lint::plan-lint did not report an exit status"
      exit 2
      ;;
  esac
}

case "${1:-}" in
  build-key) build_key ;;
  install) install ;;
  lint) lint ;;
  sarif-upload) sarif_upload ;;
  report) report ;;
  report-summary) report_summary ;;
  verdict) verdict ;;
  *)
    echo "usage: run.sh build-key|install|lint|sarif-upload|report|report-summary|verdict" >&2
    exit 2
    ;;
esac
