#!/usr/bin/env bash
# Make a Pulumi CLI available and print the folder that holds `pulumi` as the
# LAST line of stdout (all progress goes to stderr). Typical use:
#
#   PULUMI_BIN="$(bash scripts/install-pulumi-cli.sh | tail -n 1)"
#   export PATH="$PULUMI_BIN:$PWD/node_modules/.bin:$PATH"
#
# 1. A `pulumi` already on PATH whose version is >= PULUMI_CLI_MIN_VERSION is
#    used as it is (set PULUMI_CLI_IGNORE_PATH=1 to skip this).
# 2. Otherwise the pinned release is built from the Go module proxy (the only
#    source used: no GitHub, no get.pulumi.com) into a per-user cache shared by
#    every clone on the machine:
#      ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-confluent-plattc/pulumi-cli/v<ver>/bin
#    A finished cache folder is reused at once (second run: well under a second).
#    The build happens in a temporary sibling folder that is renamed into
#    place only when complete, under a lock, so an interrupted or concurrent
#    run never leaves a half-built cache behind.
#
# The bin folder holds:
#   pulumi                          the CLI (engine), built with go build
#   pulumi-language-nodejs          the Node.js language host, which starts a
#                                   project's program for `pulumi up` on a
#                                   `runtime: nodejs` project
#   pulumi-resource-pulumi-nodejs   launcher of the Node.js dynamic provider,
#                                   which runs the @pulumi/pulumi SDK found in
#                                   the deployed project's node_modules
#
# Why the language host is older than the CLI: github.com/pulumi/pulumi/sdk/v3
# carried nodejs/cmd/pulumi-language-nodejs up to v3.68.0; later releases moved
# it into a module of its own (sdk/nodejs/cmd/pulumi-language-nodejs/v3) that
# has no version tags, which the Go module proxy does not serve. The host
# speaks the same gRPC language-host protocol to the engine and runs the
# project's own @pulumi/pulumi (cmd/run), so the program runs with the SDK the
# project installed, whatever the host's version. Built from v3.68.0 it runs
# JavaScript and TypeScript programs under this CLI.
#
# Knobs (environment):
#   PULUMI_CLI_VERSION        release to build            (default below)
#   PULUMI_CLI_MIN_VERSION    minimum accepted on PATH    (default below)
#   PULUMI_CLI_IGNORE_PATH=1  never use a pulumi found on PATH
#   PULUMI_CLI_CACHE_DIR      cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-confluent-plattc/pulumi-cli)
#   PULUMI_CLI_NO_TOOLS_LINK=1  do not write the .tools/pulumi-bin pointer
#   PULUMI_NODEJS_HOST_VERSION  sdk/v3 release the language host is built from
set -euo pipefail

PINNED_VERSION="3.274.1"
PULUMI_CLI_VERSION="${PULUMI_CLI_VERSION:-$PINNED_VERSION}"
PULUMI_CLI_VERSION="${PULUMI_CLI_VERSION#v}"
PULUMI_CLI_MIN_VERSION="${PULUMI_CLI_MIN_VERSION:-$PINNED_VERSION}"
PULUMI_CLI_MIN_VERSION="${PULUMI_CLI_MIN_VERSION#v}"

PKG_MOD="github.com/pulumi/pulumi/pkg/v3"
SDK_MOD="github.com/pulumi/pulumi/sdk/v3"
NODEJS_HOST_VERSION="${PULUMI_NODEJS_HOST_VERSION:-3.68.0}"
NODEJS_HOST_VERSION="${NODEJS_HOST_VERSION#v}"
NODEJS_HOST_PKG="$SDK_MOD/nodejs/cmd/pulumi-language-nodejs"
VERSION_VAR="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${PULUMI_CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-confluent-plattc/pulumi-cli}"
FINAL_DIR="$CACHE_ROOT/v$PULUMI_CLI_VERSION"
BIN_DIR="$FINAL_DIR/bin"
STAMP="$FINAL_DIR/.complete"

log() { printf 'install-pulumi-cli: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# version_ge A B: true when dotted version A >= B (numeric parts, suffix ignored)
version_ge() {
  local a="${1#v}" b="${2#v}" i x y
  a="${a%%[-+]*}"; b="${b%%[-+]*}"
  local -a A B
  IFS=. read -r -a A <<<"$a"
  IFS=. read -r -a B <<<"$b"
  for i in 0 1 2; do
    x="${A[i]:-0}"; y="${B[i]:-0}"
    [[ "$x" =~ ^[0-9]+$ ]] || return 1
    [[ "$y" =~ ^[0-9]+$ ]] || return 1
    if ((10#$x > 10#$y)); then return 0; fi
    if ((10#$x < 10#$y)); then return 1; fi
  done
  return 0
}

# pulumi_version BIN: prints "3.274.1" from `pulumi version` ("v3.274.1"), or fails
pulumi_version() {
  local out
  out="$(PULUMI_SKIP_UPDATE_CHECK=true timeout 60 "$1" version 2>/dev/null | tail -n 1)" || return 1
  out="${out//[[:space:]]/}"
  [[ "$out" =~ ^v?([0-9]+\.[0-9]+\.[0-9]+.*)$ ]] || return 1
  printf '%s\n' "${BASH_REMATCH[1]}"
}

# Optional git-ignored pointer inside the repo: .tools/pulumi-bin -> cache bin.
write_tools_pointer() {
  [[ "${PULUMI_CLI_NO_TOOLS_LINK:-}" == 1 ]] && return 0
  [[ -d "$REPO_ROOT/.git" || -f "$REPO_ROOT/.git" ]] || return 0
  mkdir -p "$REPO_ROOT/.tools" 2>/dev/null || return 0
  ln -sfn "$1" "$REPO_ROOT/.tools/pulumi-bin.tmp.$$" 2>/dev/null &&
    mv -Tf "$REPO_ROOT/.tools/pulumi-bin.tmp.$$" "$REPO_ROOT/.tools/pulumi-bin" 2>/dev/null || true
}

finish() {
  write_tools_pointer "$1"
  printf '%s\n' "$1"
  exit 0
}

cache_is_complete() {
  [[ -f "$STAMP" && -x "$BIN_DIR/pulumi" && -x "$BIN_DIR/pulumi-language-nodejs" && -x "$BIN_DIR/pulumi-resource-pulumi-nodejs" ]]
}

# ---------------------------------------------------------------- 1. PATH
if [[ "${PULUMI_CLI_IGNORE_PATH:-}" != 1 ]] && existing="$(command -v pulumi 2>/dev/null)"; then
  existing_dir="$(cd "$(dirname "$existing")" && pwd)"
  if [[ "$existing_dir" == "$BIN_DIR" ]] && cache_is_complete; then
    finish "$BIN_DIR"
  fi
  if ! v="$(pulumi_version "$existing")" || ! version_ge "$v" "$PULUMI_CLI_MIN_VERSION"; then
    log "ignoring pulumi on PATH at $existing (version '${v:-unknown}' < v$PULUMI_CLI_MIN_VERSION)"
  elif [[ ! -x "$existing_dir/pulumi-language-nodejs" ]]; then
    log "ignoring pulumi v$v on PATH at $existing: no pulumi-language-nodejs beside it"
  else
    log "using pulumi v$v already on PATH at $existing (>= v$PULUMI_CLI_MIN_VERSION, with its language host)"
    if [[ ! -e "$existing_dir/pulumi-resource-pulumi-nodejs" ]] && ! command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1; then
      log "warning: no pulumi-resource-pulumi-nodejs beside it or on PATH: dynamic providers will not start"
    fi
    printf '%s\n' "$existing_dir"
    exit 0
  fi
fi

# ---------------------------------------------------------------- 2. cache hit
if cache_is_complete; then
  finish "$BIN_DIR"
fi

# ---------------------------------------------------------------- 3. build
command -v go >/dev/null 2>&1 || die "Go is needed to build the Pulumi CLI (none on PATH)"
mkdir -p "$CACHE_ROOT"

# One builder at a time per version; a second caller waits and then reuses.
LOCK_FILE="$CACHE_ROOT/.v$PULUMI_CLI_VERSION.lock"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$LOCK_FILE"
  if ! flock -n 9; then
    log "another run is building v$PULUMI_CLI_VERSION; waiting for it"
    flock 9
  fi
  if cache_is_complete; then
    finish "$BIN_DIR"
  fi
  # holding the lock: any build folder of this version is left over from a
  # killed run (SIGKILL skips the cleanup trap)
  rm -rf "$CACHE_ROOT/.build-v$PULUMI_CLI_VERSION".* 2>/dev/null || true
fi

WORK="$(mktemp -d "$CACHE_ROOT/.build-v$PULUMI_CLI_VERSION.XXXXXX")"
CHILD=""
cleanup() {
  if [[ -n "$CHILD" ]]; then
    pkill -TERM -P "$CHILD" 2>/dev/null || true
    kill -TERM "$CHILD" 2>/dev/null || true
    wait "$CHILD" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

STAGE="$WORK/v$PULUMI_CLI_VERSION"
mkdir -p "$STAGE/bin"
log "building Pulumi CLI v$PULUMI_CLI_VERSION from the Go module proxy ($(go env GOPROXY)) into $BIN_DIR"
log "this takes several minutes on a cold Go cache; log: $WORK/build.log (kept on failure in $CACHE_ROOT/last-build.log)"

export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
export GOWORK=off
export CGO_ENABLED="${CGO_ENABLED:-0}"

run_logged() {
  # run a command with its output appended to the build log; on failure show
  # its tail. It runs in the background so that a signal interrupts the wait
  # at once and the cleanup trap stops it (bash defers traps while a
  # foreground child runs).
  local rc=0
  "$@" >>"$WORK/build.log" 2>&1 &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  if ((rc != 0)); then
    cp "$WORK/build.log" "$CACHE_ROOT/last-build.log" 2>/dev/null || true
    tail -n 40 "$WORK/build.log" >&2
    return 1
  fi
}

# non_local_replaces GOMOD_FILE: prints "old[@v]=new@v" for each replace whose
# target is a module (not a ../local path), from `go mod edit -json`.
non_local_replaces() {
  go mod edit -json "$1" | jq -r '
    (.Replace // [])[]
    | select(.New.Version != null and .New.Version != "")
    | (.Old.Path + (if .Old.Version then "@" + .Old.Version else "" end))
      + "=" + .New.Path + "@" + .New.Version'
}

# make_wrapper DIR MODULE VERSION MAIN_PKG SDK_VERSION: a throwaway module that
# requires MODULE@VERSION (and sdk/v3@SDK_VERSION), copies MODULE's non-local
# replaces, and names MAIN_PKG as a tool so that `go mod tidy` keeps its
# dependencies; tidy must leave both pins where they are.
make_wrapper() {
  local dir="$1" mod="$2" ver="$3" main="$4" sdk_ver="$5" gomod go_ver r
  mkdir -p "$dir"
  gomod="$(cd "$dir" && go mod download -json "$mod@$ver" | jq -r '.GoMod // empty')" ||
    { log "go mod download $mod@$ver failed"; return 1; }
  [[ -n "$gomod" && -f "$gomod" ]] || { log "no go.mod for $mod@$ver"; return 1; }
  go_ver="$(go mod edit -json "$gomod" | jq -r '.Go')"
  # the tool directive needs go >= 1.24 in the wrapper (each dependency keeps its own language version)
  version_ge "$go_ver" 1.24 || go_ver=1.24
  (
    cd "$dir"
    printf 'module pulumi-cli-build\n\ngo %s\n' "$go_ver" >go.mod
    go mod edit -require="$mod@$ver"
    [[ "$mod" == "$SDK_MOD" ]] || go mod edit -require="$SDK_MOD@$sdk_ver"
    while IFS= read -r r; do
      [[ -n "$r" ]] && go mod edit -replace="$r"
    done < <(non_local_replaces "$gomod")
    go mod edit -tool="$main"
  ) || return 1
  log "tidying wrapper module for $mod@$ver"
  run_logged go -C "$dir" mod tidy || return 1
  local got
  got="$(cd "$dir" && go list -m -f '{{.Version}}' "$SDK_MOD")"
  [[ "$got" == "$sdk_ver" ]] || { log "tidy moved $SDK_MOD to $got"; return 1; }
}

# reuse_or_build NAME BUILD_FUNCTION: a binary a previous install of this
# version already published is copied into the stage; otherwise it is built.
reuse_or_build() {
  if [[ -x "$BIN_DIR/$1" ]] && [[ "$1" != pulumi || "$(pulumi_version "$BIN_DIR/pulumi" 2>/dev/null)" == "$PULUMI_CLI_VERSION" ]]; then
    log "reusing $BIN_DIR/$1"
    cp -p "$BIN_DIR/$1" "$STAGE/bin/$1"
  else
    "$2"
  fi
}

command -v jq >/dev/null 2>&1 || die "jq is needed (apt-get install jq)"

build_cli() {
  make_wrapper "$WORK/cli" "$PKG_MOD" "v$PULUMI_CLI_VERSION" "$PKG_MOD/cmd/pulumi" "v$PULUMI_CLI_VERSION" ||
    die "could not prepare the build of $PKG_MOD@v$PULUMI_CLI_VERSION"
  log "compiling pulumi (go build $PKG_MOD/cmd/pulumi)"
  run_logged go -C "$WORK/cli" build -trimpath -o "$STAGE/bin/pulumi" \
    -ldflags "-s -w -X $VERSION_VAR=v$PULUMI_CLI_VERSION" "$PKG_MOD/cmd/pulumi" ||
    die "go build of the Pulumi CLI failed"
}

build_nodejs_host() {
  make_wrapper "$WORK/nodejs" "$SDK_MOD" "v$NODEJS_HOST_VERSION" "$NODEJS_HOST_PKG" "v$NODEJS_HOST_VERSION" ||
    die "could not prepare the build of $NODEJS_HOST_PKG from $SDK_MOD@v$NODEJS_HOST_VERSION"
  log "compiling pulumi-language-nodejs (go build $NODEJS_HOST_PKG@v$NODEJS_HOST_VERSION)"
  run_logged go -C "$WORK/nodejs" build -trimpath -o "$STAGE/bin/pulumi-language-nodejs" \
    -ldflags "-s -w -X $VERSION_VAR=v$NODEJS_HOST_VERSION" "$NODEJS_HOST_PKG" ||
    die "go build of pulumi-language-nodejs failed"
}

reuse_or_build pulumi build_cli
got="$(pulumi_version "$STAGE/bin/pulumi")" || die "the pulumi binary does not run"
[[ "$got" == "$PULUMI_CLI_VERSION" ]] || die "pulumi reports v$got, expected v$PULUMI_CLI_VERSION"
log "pulumi v$got"
reuse_or_build pulumi-language-nodejs build_nodejs_host
"$STAGE/bin/pulumi-language-nodejs" --help >/dev/null 2>&1 || [[ $? -le 2 ]] || die "pulumi-language-nodejs does not run"
log "pulumi-language-nodejs (from $SDK_MOD@v$NODEJS_HOST_VERSION)"

# --- the Node.js dynamic provider launcher (engine plugin "pulumi-nodejs")
# Written here rather than copied or linked from a clone: the cache is shared
# by all clones, so it must not point into any one of them. At run time it
# finds the @pulumi/pulumi SDK of the project being deployed.
cat >"$STAGE/bin/pulumi-resource-pulumi-nodejs" <<'LAUNCHER'
#!/bin/sh
# Pulumi Node.js dynamic provider launcher (written by scripts/install-pulumi-cli.sh).
# The engine starts this plugin with the working directory set to the program's
# directory and with the PATH of the pulumi process. It runs
# @pulumi/pulumi/cmd/dynamic-provider from, in order:
#   1. $PULUMI_NODEJS_SDK_DIR (a folder holding @pulumi/pulumi's package.json),
#   2. node_modules/@pulumi/pulumi in the working directory or its parents,
#   3. whatever `require.resolve` finds from the working directory (NODE_PATH).
# Node: $PULUMI_NODEJS_NODE, else the node in the node_modules/.bin beside that
# SDK (a project that pins Node through npm), else `node` on PATH.
set -u
sdk=""
if [ -n "${PULUMI_NODEJS_SDK_DIR:-}" ]; then
  if [ -f "$PULUMI_NODEJS_SDK_DIR/cmd/dynamic-provider/index.js" ]; then
    sdk=$(cd "$PULUMI_NODEJS_SDK_DIR" && pwd)
  else
    echo "pulumi-resource-pulumi-nodejs: PULUMI_NODEJS_SDK_DIR=$PULUMI_NODEJS_SDK_DIR has no cmd/dynamic-provider" >&2
    exit 1
  fi
else
  d=$(pwd)
  while :; do
    if [ -f "$d/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js" ]; then
      sdk="$d/node_modules/@pulumi/pulumi"
      break
    fi
    [ "$d" = / ] && break
    d=$(dirname "$d")
  done
fi
node_bin="${PULUMI_NODEJS_NODE:-}"
if [ -z "$node_bin" ] && [ -n "$sdk" ]; then
  nm=$(cd "$sdk/../.." && pwd)
  [ -x "$nm/.bin/node" ] && node_bin="$nm/.bin/node"
fi
[ -n "$node_bin" ] || node_bin=node
if [ -n "$sdk" ]; then
  exec "$node_bin" "$sdk/cmd/dynamic-provider" "$@"
fi
script=$("$node_bin" -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))" 2>/dev/null) || script=""
if [ -z "$script" ]; then
  echo "pulumi-resource-pulumi-nodejs: cannot find @pulumi/pulumi from $(pwd); set PULUMI_NODEJS_SDK_DIR to node_modules/@pulumi/pulumi" >&2
  exit 1
fi
exec "$node_bin" "$script" "$@"
LAUNCHER
chmod 0755 "$STAGE/bin/pulumi-resource-pulumi-nodejs"

{
  echo "pulumi=v$PULUMI_CLI_VERSION ($PKG_MOD)"
  echo "pulumi-language-nodejs=v$NODEJS_HOST_VERSION ($NODEJS_HOST_PKG)"
  echo "go=$(go env GOVERSION)"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$STAGE/.complete"
cp "$WORK/build.log" "$STAGE/build.log" 2>/dev/null || true

# ---------------------------------------------------------------- 4. publish atomically
if [[ -e "$FINAL_DIR" ]]; then
  # a stale, incomplete folder (e.g. from an older script); move it aside first
  mv -T "$FINAL_DIR" "$WORK/stale" || die "cannot replace $FINAL_DIR"
fi
mv -T "$STAGE" "$FINAL_DIR" || die "cannot move the build into $FINAL_DIR"
log "installed into $BIN_DIR"
finish "$BIN_DIR"
