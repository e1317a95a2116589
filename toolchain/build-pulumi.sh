#!/usr/bin/env bash
# Builds the Pulumi engine pieces this project needs from Go modules (the machines reach the Go
# module proxy, not GitHub releases) and puts them in $BIN_DIR:
#
#   pulumi                      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi      (toolchain/pulumi/cli)
#   pulumi-language-nodejs      local language host on pulumi/sdk/v3            (toolchain/pulumi/language-nodejs)
#   pulumi-language-go          local language host on pulumi/sdk/v3, pkg/v3     (toolchain/pulumi/language-go)
#   pulumi-language-yaml        github.com/pulumi/pulumi-yaml, fixed for pkg/v3  (toolchain/pulumi/language-yaml)
#   pulumi-resource-kubernetes  github.com/pulumi/pulumi-kubernetes/provider/v4 (toolchain/pulumi/kubernetes-provider)
#
# The two local hosts share toolchain/pulumi/langhost (a module each requires through a replace).
# The engine finds the pulumi-language-* hosts next to `pulumi` and pulumi-resource-kubernetes on
# $PATH (an "ambient" plugin), so $BIN_DIR must be on PATH when pulumi runs.
#
# Contract: called by scripts/toolchain with BIN_DIR set (absolute, on PATH) and versions.env
# sourced; also runs standalone: `BIN_DIR=/abs/dir toolchain/build-pulumi.sh`.
# Idempotent: a binary already in $BIN_DIR that reports the pinned version is kept; one of the
# pinned version found elsewhere on PATH (a normal Pulumi install) is symlinked; otherwise built.
# Writes only into $BIN_DIR, a temp dir, and Go's own module/build caches — never into the repo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mods="$here/pulumi"

log() { echo "[toolchain] $*"; }
die() { echo "[toolchain] error: $*" >&2; exit 1; }

if [[ -z "${PULUMI_VERSION:-}" || -z "${PULUMI_LANGUAGE_NODEJS_MODULE_VERSION:-}" ||
      -z "${PULUMI_LANGUAGE_GO_MODULE_VERSION:-}" || -z "${PULUMI_YAML_VERSION:-}" ||
      -z "${PULUMI_KUBERNETES_VERSION:-}" || -z "${PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION:-}" ]]; then
  # shellcheck source=/dev/null
  source "$here/versions.env"
fi
for v in PULUMI_VERSION PULUMI_LANGUAGE_NODEJS_MODULE_VERSION PULUMI_LANGUAGE_GO_MODULE_VERSION \
         PULUMI_YAML_VERSION PULUMI_KUBERNETES_VERSION PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION; do
  [[ -n "${!v:-}" && "${!v}" != TBD ]] || die "$v is not set in toolchain/versions.env"
done

: "${BIN_DIR:?BIN_DIR must be set to an absolute directory for the binaries}"
[[ "$BIN_DIR" == /* ]] || die "BIN_DIR must be an absolute path (got '$BIN_DIR')"
mkdir -p "$BIN_DIR"

# ---- the wrapper modules must agree with versions.env -------------------------------------

# has_req FILE MODULE VERSION: FILE has "MODULE VERSION" (a require, or a replace's right side).
has_req() {
  awk -v m="$2" -v v="$3" '{ for (i = 1; i < NF; i++) if ($i == m && $(i + 1) == v) found = 1 }
                           END { exit !found }' "$1"
}
expect_req() {
  has_req "$mods/$1/go.mod" "$2" "$3" ||
    die "toolchain/pulumi/$1/go.mod does not pin $2 $3 (toolchain/versions.env says so);" \
        "update the go.mod (and go.sum) or versions.env so they agree"
}
expect_req cli github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_VERSION"
expect_req cli github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION"
expect_req language-nodejs github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION"
expect_req language-go github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_VERSION"
expect_req language-go github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION"
expect_req language-yaml github.com/pulumi/pulumi-yaml "v$PULUMI_YAML_VERSION"
expect_req language-yaml github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_VERSION"
expect_req language-yaml github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION"
expect_req kubernetes-provider github.com/pulumi/pulumi-kubernetes/provider/v4 \
  "$PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION"
expect_req kubernetes-provider github.com/pulumi/pulumi-kubernetes/sdk/v4 "v$PULUMI_KUBERNETES_VERSION"

# ---- version probes -----------------------------------------------------------------------

langhost_id="v$PULUMI_VERSION (fleet-configmap $PULUMI_LANGUAGE_NODEJS_MODULE_VERSION)"
golanghost_id="v$PULUMI_VERSION (fleet-configmap $PULUMI_LANGUAGE_GO_MODULE_VERSION)"

probe_pulumi() { [[ "$("$1" version 2>/dev/null | head -n1)" == "v$PULUMI_VERSION" ]]; }
# Our language hosts (Node.js, Go) answer --version with the ids above; an upstream one is
# accepted only next to a pulumi of the pinned version (a normal install ships them together).
probe_langhost() { probe_host "$langhost_id" "$1"; }
probe_golanghost() { probe_host "$golanghost_id" "$1"; }
# probe_host ID BINARY
probe_host() {
  local out dir
  out="$(timeout 10 "$2" --version </dev/null 2>/dev/null | head -n1 || true)"
  [[ "$out" == "$1" ]] && return 0
  [[ "$out" == *fleet-configmap* ]] && return 1
  dir="$(dirname "$(readlink -f "$2")")"
  [[ "$dir" != "$bin_real" && -x "$dir/pulumi" ]] && probe_pulumi "$dir/pulumi"
}
# The YAML host has no --version; its build info names the module and the pkg/v3 it was built on.
probe_yamlhost() {
  local info
  info="$(go version -m "$1" 2>/dev/null)" || return 1
  grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/pulumi/pulumi-yaml[[:space:]]+v$PULUMI_YAML_VERSION([[:space:]]|$)" <<<"$info" &&
    grep -Eq "^[[:space:]]+dep[[:space:]]+github.com/pulumi/pulumi/pkg/v3[[:space:]]+v$PULUMI_VERSION([[:space:]]|$)" <<<"$info"
}
# The provider embeds its schema with the version filled in (upstream and our builds alike).
probe_provider() {
  LC_ALL=C grep -aFq "\"name\":\"kubernetes\",\"displayName\":\"Kubernetes\",\"version\":\"$PULUMI_KUBERNETES_VERSION\"" "$1"
}

bin_real="$(readlink -f "$BIN_DIR")"
# candidates NAME: executables named NAME on PATH outside BIN_DIR, plus extra paths given.
candidates() {
  local name="$1" dir
  shift
  local IFS=:
  for dir in $PATH; do
    [[ -n "$dir" && -d "$dir" ]] || continue
    [[ "$(readlink -f "$dir")" == "$bin_real" ]] && continue
    [[ -x "$dir/$name" && ! -d "$dir/$name" ]] && echo "$dir/$name"
  done
  for dir in "$@"; do [[ -x "$dir" ]] && echo "$dir"; done
  return 0
}

# ensure NAME LABEL PROBE BUILDER [EXTRA_CANDIDATE...]: returns 0 if nothing was built.
ensure() {
  local name="$1" label="$2" probe="$3" builder="$4"
  shift 4
  local target="$BIN_DIR/$name" cand
  if [[ -n "${TOOLCHAIN_RESOLVE_ONLY:-}" ]]; then
    "$builder" "$target"
    log "$label: every source module resolves"
    return 0
  fi
  if [[ -x "$target" ]] && "$probe" "$target"; then
    log "$label: cached"
    return 0
  fi
  while read -r cand; do
    [[ -n "$cand" ]] || continue
    if "$probe" "$cand"; then
      ln -sfn "$(readlink -f "$cand")" "$target"
      log "$label: using $cand"
      return 0
    fi
  done < <(candidates "$name" "$@")
  rm -f "$target"
  "$builder" "$target"
  "$probe" "$target" || die "$label: the freshly built $target does not report the pinned version"
}

# ---- builders -------------------------------------------------------------------------------

command -v go >/dev/null 2>&1 || die "Go is required to build the Pulumi engine (https://go.dev/dl)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/build-pulumi.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

export GOWORK=off
export CGO_ENABLED="${CGO_ENABLED:-1}"

# gobuild MODULE_DIR OUT LDFLAGS PACKAGE [extra go build flags...]
# With TOOLCHAIN_RESOLVE_ONLY set (scripts/toolchain --check-sources), it only resolves, and so
# downloads, every module the package needs, and builds nothing.
gobuild() {
  local moddir="$1" out="$2" ldflags="$3" pkg="$4"
  shift 4
  if [[ -n "${TOOLCHAIN_RESOLVE_ONLY:-}" ]]; then
    (cd "$moddir" && go list -mod=readonly -deps "$pkg" >/dev/null)
    return
  fi
  (cd "$moddir" && go build -mod=readonly -trimpath -ldflags "-s -w $ldflags" "$@" -o "$out" "$pkg")
}

# install_bin BUILT TARGET: moves a freshly built binary into place (nothing is built when resolving).
install_bin() {
  [[ -n "${TOOLCHAIN_RESOLVE_ONLY:-}" ]] || mv -f "$1" "$2"
}

timed() {
  local label="$1" start=$SECONDS
  shift
  if [[ -n "${TOOLCHAIN_RESOLVE_ONLY:-}" ]]; then "$@"; log "$label: resolved in $((SECONDS - start))s"; return; fi
  log "$label: building (this takes several minutes)"
  "$@"
  log "$label: built in $((SECONDS - start))s"
}

build_pulumi() {
  gobuild "$mods/cli" "$tmp/pulumi" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  install_bin "$tmp/pulumi" "$1"
}

build_langhost() {
  gobuild "$mods/language-nodejs" "$tmp/pulumi-language-nodejs" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION -X main.buildID=$PULUMI_LANGUAGE_NODEJS_MODULE_VERSION" \
    .
  install_bin "$tmp/pulumi-language-nodejs" "$1"
}

build_golanghost() {
  gobuild "$mods/language-go" "$tmp/pulumi-language-go" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION -X main.buildID=$PULUMI_LANGUAGE_GO_MODULE_VERSION" \
    .
  install_bin "$tmp/pulumi-language-go" "$1"
}

build_yamlhost() {
  bash "$mods/language-yaml/build.sh" "$tmp/pulumi-language-yaml"
  install_bin "$tmp/pulumi-language-yaml" "$1"
}

# module_dir MODULE_DIR MODULE: the module's source directory, downloaded into the module cache
# first if it is not there (at the version MODULE_DIR's go.mod requires).
module_dir() {
  (cd "$1" && go mod download -json "$2") |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

build_provider() {
  local moddir="$mods/kubernetes-provider" src work="$tmp/k8s"
  # `go list -m -f {{.Dir}}` prints nothing for a module that is not in the module cache yet (it
  # never downloads), so a cold cache needs `go mod download`, which fetches it and prints its Dir.
  src="$(module_dir "$moddir" github.com/pulumi/pulumi-kubernetes/provider/v4)"
  src="$src/cmd/pulumi-resource-kubernetes"
  [[ -f "$src/schema.json" && -f "$src/main.go" ]] || die "kubernetes provider source not found at $src"
  # The module cache is read-only (and -overlay may not replace files in it), so build the
  # provider's main package from a scratch copy of the wrapper module: same go.mod/go.sum,
  # plus cmd/pulumi-resource-kubernetes/main.go from the module and the files that upstream's
  # `VERSION=x.y.z go generate` step writes next to it (schema-embed.json and
  # terraform-mapping-embed.json), produced by our schemagen from the module's schema.json.
  mkdir -p "$work/cmd/pulumi-resource-kubernetes"
  cp "$moddir/go.mod" "$moddir/go.sum" "$work/"
  cp "$src/main.go" "$work/cmd/pulumi-resource-kubernetes/main.go"
  chmod u+w "$work/cmd/pulumi-resource-kubernetes/main.go"
  gobuild "$moddir" "$tmp/schemagen" "" ./schemagen
  if [[ -n "${TOOLCHAIN_RESOLVE_ONLY:-}" ]]; then
    # Only their presence matters to `go list` (they are //go:embed targets), not their content.
    echo '{}' >"$work/cmd/pulumi-resource-kubernetes/schema-embed.json"
    echo '{}' >"$work/cmd/pulumi-resource-kubernetes/terraform-mapping-embed.json"
  else
    "$tmp/schemagen" "$src" "$work/cmd/pulumi-resource-kubernetes" "$PULUMI_KUBERNETES_VERSION"
  fi
  gobuild "$work" "$tmp/pulumi-resource-kubernetes" \
    "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" \
    ./cmd/pulumi-resource-kubernetes
  install_bin "$tmp/pulumi-resource-kubernetes" "$1"
}

t_pulumi() { timed "pulumi $PULUMI_VERSION" build_pulumi "$@"; }
t_langhost() { timed "pulumi-language-nodejs $PULUMI_VERSION" build_langhost "$@"; }
t_golanghost() { timed "pulumi-language-go $PULUMI_VERSION" build_golanghost "$@"; }
t_yamlhost() { timed "pulumi-language-yaml $PULUMI_YAML_VERSION" build_yamlhost "$@"; }
t_provider() { timed "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION" build_provider "$@"; }

ensure pulumi "pulumi $PULUMI_VERSION" probe_pulumi t_pulumi
# If pulumi came from a normal install, its own language host sits next to it.
ensure pulumi-language-nodejs "pulumi-language-nodejs $PULUMI_VERSION" probe_langhost t_langhost \
  "$(dirname "$(readlink -f "$BIN_DIR/pulumi")")/pulumi-language-nodejs"
ensure pulumi-language-go "pulumi-language-go $PULUMI_VERSION" probe_golanghost t_golanghost \
  "$(dirname "$(readlink -f "$BIN_DIR/pulumi")")/pulumi-language-go"
ensure pulumi-language-yaml "pulumi-language-yaml $PULUMI_YAML_VERSION" probe_yamlhost t_yamlhost
ensure pulumi-resource-kubernetes "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION" \
  probe_provider t_provider \
  "${PULUMI_HOME:-$HOME/.pulumi}/plugins/resource-kubernetes-v$PULUMI_KUBERNETES_VERSION/pulumi-resource-kubernetes"
