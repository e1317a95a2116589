#!/usr/bin/env bash
# Builds pulumi-language-yaml, the language host for Pulumi YAML programs, from the Go module
# github.com/pulumi/pulumi-yaml (version pinned in go.mod beside this file) against
# pulumi/pkg/v3 and pulumi/sdk/v3 at the CLI's version, and writes it to OUT_PATH:
#
#   toolchain/pulumi/language-yaml/build.sh OUT_PATH
#   TOOLCHAIN_RESOLVE_ONLY=1 toolchain/pulumi/language-yaml/build.sh OUT_PATH   # resolve only
#
# pulumi-yaml v1.25.0 was built against pkg/v3 v3.206.0 and does not compile against v3.276.0.
# The module cache is read-only and `go build -overlay` refuses to replace files under
# GOMODCACHE, so this script copies the module into a temp dir, puts the files of overlay/
# over their upstream versions there, and builds through a scratch copy of this wrapper module
# whose go.mod replaces github.com/pulumi/pulumi-yaml with that copy. The wrapper's go.mod and
# go.sum still pin (and so verify) the published module; only the files below differ from it.
# Each file in overlay/ is the upstream file of the same path with these changes:
#
#   pkg/pulumiyaml/packages.go        plugin.Context moved to pkg/v3/resource/plugin and
#     NewContextWithRoot no longer creates a host when given nil (and takes a trailing
#     cloudCredentialEnv argument): NewPackageLoader now builds the host with pkg/v3/host.New
#     (no loader/mapper/resolver services, like the old implicit default host) and passes the
#     *plugin.Context that schema.NewPluginLoader now takes instead of a plugin.Host.
#   pkg/pulumiyaml/codegen/convert.go the same change for its fallback plugin host (used only
#     when no schema loader is given), and pcl.BindProgram now takes the loader as a required
#     argument instead of the removed pcl.Loader bind option.
#   pkg/pulumiyaml/codegen/gen_program.go  pcl.Resource's exported Token field became the
#     GetToken() method.
#   pkg/server/server.go              pcl.BindProgram's loader argument (as in convert.go), and
#     schema.Parameterization's BaseProvider field was renamed BasePlugin. Not a compile fix:
#     it also answers the Link RPC (a no-op; later pulumi-yaml releases do the same), without
#     which `pulumi package add` in a YAML project fails with "method Link not implemented"
#     after writing the package's lock file under sdks/.
#
# Version: ldflags set github.com/pulumi/pulumi-yaml/pkg/version.Version, which the host
# reports to the engine in GetPluginInfo. The binary has no --version flag; `go version -m`
# on it shows the ldflags. Nothing is written outside OUT_PATH, a temp dir and Go's caches.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "[language-yaml] error: $*" >&2; exit 1; }

[[ $# -eq 1 && -n "$1" ]] || die "usage: $0 OUT_PATH"
out="$1"
[[ "$out" == /* ]] || out="$PWD/$out"

command -v go >/dev/null 2>&1 || die "Go is required to build pulumi-language-yaml"
export GOWORK=off

module=github.com/pulumi/pulumi-yaml
pkg="$module/cmd/pulumi-language-yaml"
version="$(awk -v m="$module" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$here/go.mod")"
[[ "$version" == v* ]] || die "go.mod does not require $module"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/language-yaml.XXXXXX")"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# The module's source directory; `go mod download` fetches it into the module cache first if
# it is not there (and checks it against go.sum). `go list -m -f {{.Dir}}` would not download.
json="$(cd "$here" && go mod download -json "$module")" ||
  die "could not download $module $version: $json"
src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
[[ -n "$src" && -f "$src/go.mod" && -f "$src/cmd/pulumi-language-yaml/main.go" ]] ||
  die "$module $version source not found in the module cache"

cp -R "$src" "$tmp/pulumi-yaml"
chmod -R u+w "$tmp/pulumi-yaml"
while IFS= read -r -d '' f; do
  rel="${f#"$here/overlay/"}"
  # An overlay file only ever replaces an upstream file; a missing one means the pinned
  # version no longer matches the overlay.
  [[ -f "$tmp/pulumi-yaml/$rel" ]] || die "overlay/$rel has no counterpart in $module $version"
  cp "$f" "$tmp/pulumi-yaml/$rel"
done < <(find "$here/overlay" -type f -name '*.go' -print0)

mkdir "$tmp/wrapper"
cp "$here/go.mod" "$here/go.sum" "$tmp/wrapper/"
(cd "$tmp/wrapper" && go mod edit -replace "$module=../pulumi-yaml")

if [[ -n "${TOOLCHAIN_RESOLVE_ONLY:-}" ]]; then
  # Resolves, and so downloads, every module the package needs; builds nothing.
  (cd "$tmp/wrapper" && go list -mod=readonly -deps "$pkg" >/dev/null)
  exit 0
fi

(cd "$tmp/wrapper" && go build -mod=readonly -trimpath \
  -ldflags "-s -w -X $module/pkg/version.Version=$version" -o "$tmp/pulumi-language-yaml" "$pkg")
mkdir -p "$(dirname "$out")"
mv -f "$tmp/pulumi-language-yaml" "$out"
