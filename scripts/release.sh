#!/usr/bin/env bash
# The release steps (.github/workflows/release.yml), one subcommand each, so that tests can run
# them (tests/it/release.rs) and the asset names live in one place:
#
#   release.sh version               print the version in Cargo.toml ([workspace.package])
#   release.sh check-tag TAG         fail unless TAG is v<version>
#   release.sh asset TARGET          print the archive's name for TARGET
#   release.sh pack TAG TARGET DIR   pack the built binary (target/TARGET/release, or
#                                    $PLAN_LINT_BINARY) with the licences, README and
#                                    changelog into DIR/<asset>, and DIR/<asset>.sha256
#   release.sh checksums DIR         check each .sha256 and write DIR/SHA256SUMS
#   release.sh publish TAG DIR       create the GitHub release with DIR's files (gh)
#
# Assets: plan-lint-<version>-<target>.tar.gz (.zip for Windows), holding the folder
# plan-lint-<version>-<target>/ with plan-lint (plan-lint.exe), LICENSE-MIT, LICENSE-APACHE,
# README.md and CHANGELOG.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  echo "release.sh: $*" >&2
  exit 1
}

version() {
  # The first `version = "…"` of the root manifest is [workspace.package]'s.
  sed -n 's/^version = "\([0-9][0-9A-Za-z.+-]*\)"$/\1/p' "$root/Cargo.toml" | head -n 1
}

sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

check_tag() {
  local tag="$1" want
  want="v$(version)"
  [ "$tag" = "$want" ] || die "the tag is $tag but Cargo.toml says $want: bump the version (and CHANGELOG.md) first"
}

asset() {
  local target="$1"
  [[ "$target" =~ ^[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+(-[a-z0-9_]+)?$ ]] || die "not a target triple: $target"
  case "$target" in
    *windows*) printf 'plan-lint-%s-%s.zip' "$(version)" "$target" ;;
    *) printf 'plan-lint-%s-%s.tar.gz' "$(version)" "$target" ;;
  esac
}

pack() {
  local tag="$1" target="$2" out="$3"
  check_tag "$tag"
  local name archive exe=plan-lint
  archive="$(asset "$target")"
  name="plan-lint-$(version)-$target"
  case "$target" in *windows*) exe=plan-lint.exe ;; esac
  local binary="${PLAN_LINT_BINARY:-$root/target/$target/release/$exe}"
  [ -x "$binary" ] || die "no built binary at $binary"
  mkdir -p "$out"
  local stage
  stage="$(mktemp -d)"
  mkdir "$stage/$name"
  cp "$binary" "$stage/$name/$exe"
  cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$root/README.md" "$root/CHANGELOG.md" "$stage/$name/"
  out="$(cd "$out" && pwd)"
  case "$archive" in
    *.zip)
      if command -v 7z >/dev/null; then
        (cd "$stage" && 7z a -tzip -bso0 "$out/$archive" "$name")
      else
        (cd "$stage" && zip -qr "$out/$archive" "$name")
      fi
      ;;
    *) tar -C "$stage" -czf "$out/$archive" "$name" ;;
  esac
  rm -rf "$stage"
  printf '%s  %s\n' "$(sha256 "$out/$archive")" "$archive" >"$out/$archive.sha256"
  echo "packed $out/$archive"
}

checksums() {
  local dir="$1" file sum
  : >"$dir/SHA256SUMS.tmp"
  for file in "$dir"/plan-lint-*; do
    case "$file" in *.sha256) continue ;; esac
    sum="$(sha256 "$file")"
    [ "$(cut -d' ' -f1 <"$file.sha256")" = "$sum" ] || die "$(basename "$file") does not match its .sha256"
    printf '%s  %s\n' "$sum" "$(basename "$file")" >>"$dir/SHA256SUMS.tmp"
  done
  [ -s "$dir/SHA256SUMS.tmp" ] || die "no assets in $dir"
  mv "$dir/SHA256SUMS.tmp" "$dir/SHA256SUMS"
}

# The changelog's section for the version, for the release notes.
notes() {
  awk -v v="$(version)" '
    $0 ~ "^## \\[" v "\\]" { keep = 1; next }
    keep && /^## \[/ { exit }
    keep { print }
  ' "$root/CHANGELOG.md"
}

publish() {
  local tag="$1" dir="$2"
  check_tag "$tag"
  local notes_file
  notes_file="$(mktemp)"
  notes >"$notes_file"
  [ -s "$notes_file" ] || die "CHANGELOG.md has no section for $(version)"
  gh release create "$tag" --verify-tag --title "plan-lint $(version)" --notes-file "$notes_file" "$dir"/*
}

case "${1:-}" in
  version) version ;;
  check-tag) check_tag "${2:?TAG}" ;;
  asset) asset "${2:?TARGET}" ;;
  pack) pack "${2:?TAG}" "${3:?TARGET}" "${4:?DIR}" ;;
  checksums) checksums "${2:?DIR}" ;;
  notes) notes ;;
  publish) publish "${2:?TAG}" "${3:?DIR}" ;;
  *)
    echo "usage: release.sh version|check-tag TAG|asset TARGET|pack TAG TARGET DIR|checksums DIR|notes|publish TAG DIR" >&2
    exit 2
    ;;
esac
