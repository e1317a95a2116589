#!/usr/bin/env bash
# Builds the local control plane from Go modules into $BIN_DIR:
#   kube-apiserver kube-controller-manager kube-scheduler kubectl  (toolchain/kubernetes)
#   etcd                                                           (toolchain/etcd)
#   kwok kwokctl                                                   (toolchain/kwok)
#
# Contract (called by scripts/toolchain, or standalone):
#   BIN_DIR   absolute, existing directory (normally also on PATH)
#   KUBERNETES_VERSION ETCD_VERSION KWOK_VERSION  (sourced from toolchain/versions.env if unset)
# Per binary: skip if $BIN_DIR/<bin> reports the pinned version; else symlink a binary on PATH
# that reports it; else hard-link one from a sibling toolchain dir (<cache>/<key>/bin) that
# reports it; else build with -mod=readonly (never writes to the repo).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[toolchain] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -z "${KUBERNETES_VERSION:-}" || -z "${ETCD_VERSION:-}" || -z "${KWOK_VERSION:-}" ]]; then
  # shellcheck disable=SC1091
  set -a; source "$HERE/versions.env"; set +a
fi
: "${BIN_DIR:?BIN_DIR must be set (absolute path of an existing directory)}"
[[ "$BIN_DIR" == /* && -d "$BIN_DIR" ]] || die "BIN_DIR=$BIN_DIR must be an absolute, existing directory"
command -v go >/dev/null || die "go is not on PATH"

for v in KUBERNETES_VERSION ETCD_VERSION KWOK_VERSION; do
  [[ "${!v}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "$v='${!v}' in toolchain/versions.env is not a vX.Y.Z version"
done

# --- wrapper go.mod files must agree with versions.env ------------------------------------
# Version of module $2 required by $1/go.mod (single-line or block require).
gomod_require() {
  awk -v m="$2" '
    /^require[ \t]*\(/ { blk=1; next }
    blk && /^\)/       { blk=0; next }
    blk && $1==m       { print $2; exit }
    /^require[ \t]/ && $2==m { print $3; exit }' "$1/go.mod"
}
check_require() { # dir module want
  local got; got="$(gomod_require "$HERE/$1" "$2")"
  [[ "$got" == "$3" ]] || die "toolchain/$1/go.mod requires $2 ${got:-<missing>} but versions.env pins $3.
  Fix: cd toolchain/$1 && go mod edit -require=$2@$3 && go mod tidy   (kubernetes: also the k8s.io/* replaces)"
}
check_require kubernetes k8s.io/kubernetes "$KUBERNETES_VERSION"
check_require etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
check_require kwok sigs.k8s.io/kwok "$KWOK_VERSION"
# Every k8s.io staging replace must point at v0.<minor>.<patch> of the same release.
STAGING_VERSION="v0.${KUBERNETES_VERSION#v1.}"
bad="$(awk -v want="$STAGING_VERSION" '$2=="=>" && $1 ~ /^k8s\.io\// && $4!=want {print $1" "$4}' "$HERE/kubernetes/go.mod")"
[[ -z "$bad" ]] || die "toolchain/kubernetes/go.mod staging replaces disagree with $STAGING_VERSION: $bad"

# --- helpers -------------------------------------------------------------------------------
# Prints the version string a binary reports (first matching line), empty if it fails.
reported_version() { # path bin
  local out
  case "$2" in
    kubectl) out="$("$1" version --client 2>/dev/null)" || return 0 ;;
    *)       out="$("$1" --version 2>/dev/null)" || return 0 ;;
  esac
  printf '%s\n' "$out" | head -n 3 | tr '\n' ' '
}
reports_version() { # path bin version(vX.Y.Z)
  local out re; out="$(reported_version "$1" "$2")"
  re="${3#v}"; re="[^0-9.]v?${re//./\\.}([^0-9.]|$)"
  [[ " $out " =~ $re ]]
}

GO_ENV=(env GOWORK=off "GOFLAGS=-mod=readonly -buildvcs=false" CGO_ENABLED=0)
BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if [[ -n "${SOURCE_DATE_EPOCH:-}" ]]; then BUILD_DATE="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"; fi

kube_ldflags() {
  local ver="$KUBERNETES_VERSION" major minor flags="-s -w"
  major="${ver#v}"; major="${major%%.*}"
  minor="${ver#v*.}"; minor="${minor%%.*}"
  local key val
  for kv in "gitVersion=$ver" "gitMajor=$major" "gitMinor=$minor" \
            "gitCommit=0000000000000000000000000000000000000000" "gitTreeState=clean" "buildDate=$BUILD_DATE"; do
    key="${kv%%=*}"; val="${kv#*=}"
    flags+=" -X k8s.io/client-go/pkg/version.$key=$val -X k8s.io/component-base/version.$key=$val"
  done
  printf '%s' "$flags"
}

ensure() { # bin version module-dir package ldflags
  local bin="$1" ver="$2" dir="$3" pkg="$4" ldflags="$5"
  local dest="$BIN_DIR/$bin" p
  # scripts/toolchain --check-sources: resolve (and so download) every module the package needs,
  # build nothing.
  if [[ -n "${TOOLCHAIN_RESOLVE_ONLY:-}" ]]; then
    (cd "$HERE/$dir" && "${GO_ENV[@]}" go list -deps "$pkg" >/dev/null) || die "resolving the sources of $bin failed (module toolchain/$dir, package $pkg)"
    log "$bin $ver: every source module resolves"; return 0
  fi
  if [[ -x "$dest" ]] && reports_version "$dest" "$bin" "$ver"; then
    log "$bin $ver: cached"; return 0
  fi
  # A binary of the pinned version already on PATH (outside BIN_DIR)?
  local path_entries; IFS=: read -ra path_entries <<<"$PATH"
  for p in "${path_entries[@]}"; do
    [[ -n "$p" && "$p" != "$BIN_DIR" && -x "$p/$bin" && ! -d "$p/$bin" ]] || continue
    if reports_version "$p/$bin" "$bin" "$ver"; then
      ln -sfn "$(readlink -f "$p/$bin")" "$dest"
      log "$bin $ver: linked from $p/$bin"; return 0
    fi
  done
  # Same version already built into a sibling toolchain dir (<cache>/<other-key>/bin, e.g. after
  # an unrelated PULUMI_* bump changed the key)? Hard-link (or copy) it instead of rebuilding.
  if [[ "$(basename "$BIN_DIR")" == bin ]]; then
    local other
    for other in "$(dirname "$(dirname "$BIN_DIR")")"/*/bin/"$bin"; do
      [[ -f "$other" && ! -L "$other" && "$other" != "$dest" ]] || continue
      if reports_version "$other" "$bin" "$ver"; then
        rm -f "$dest"; ln "$other" "$dest" 2>/dev/null || cp -p "$other" "$dest"
        log "$bin $ver: reused from $other"; return 0
      fi
    done
  fi
  log "$bin $ver: building…"
  local start=$SECONDS tmp="$dest.tmp.$$"
  rm -f "$tmp"
  if ! (cd "$HERE/$dir" && "${GO_ENV[@]}" go build -trimpath -ldflags "$ldflags" -o "$tmp" "$pkg"); then
    rm -f "$tmp"; die "building $bin failed (module toolchain/$dir, package $pkg)"
  fi
  reports_version "$tmp" "$bin" "$ver" || { local got; got="$(reported_version "$tmp" "$bin")"; rm -f "$tmp"; die "built $bin reports '$got', expected $ver"; }
  rm -f "$dest"; mv -f "$tmp" "$dest"
  log "$bin $ver: built in $((SECONDS - start))s"
}

KUBE_LDFLAGS="$(kube_ldflags)"
ensure kube-apiserver          "$KUBERNETES_VERSION" kubernetes k8s.io/kubernetes/cmd/kube-apiserver          "$KUBE_LDFLAGS"
ensure kube-controller-manager "$KUBERNETES_VERSION" kubernetes k8s.io/kubernetes/cmd/kube-controller-manager "$KUBE_LDFLAGS"
ensure kube-scheduler          "$KUBERNETES_VERSION" kubernetes k8s.io/kubernetes/cmd/kube-scheduler          "$KUBE_LDFLAGS"
ensure kubectl                 "$KUBERNETES_VERSION" kubernetes k8s.io/kubernetes/cmd/kubectl                 "$KUBE_LDFLAGS"
# etcd's version is a source constant; GitSHA is informational only.
ensure etcd "$ETCD_VERSION" etcd go.etcd.io/etcd/server/v3 \
  "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD_VERSION}"
# kwok: stamp the release version and make kwokctl default to our Kubernetes version.
KWOK_LDFLAGS="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${KUBERNETES_VERSION#v}"
ensure kwok    "$KWOK_VERSION" kwok sigs.k8s.io/kwok/cmd/kwok    "$KWOK_LDFLAGS"
ensure kwokctl "$KWOK_VERSION" kwok sigs.k8s.io/kwok/cmd/kwokctl "$KWOK_LDFLAGS"
