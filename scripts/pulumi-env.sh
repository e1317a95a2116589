# shellcheck shell=bash
# Sourced by scripts/demo, scripts/bench and .ci/run: puts the toolchain first on PATH and runs Pulumi
# fully offline on a local file backend kept outside the repository. Every value can be overridden.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FLEET_CACHE_DIR="${FLEET_CACHE_DIR:-$HOME/.cache/fleet-configmap}"
export FLEET_CACHE_DIR
# The project's own Node (the `node` npm package, a current LTS) runs the programs, as under `npm run`.
[[ -x "$_root/node_modules/.bin/node" ]] && export PATH="$_root/node_modules/.bin:$PATH"
export PATH="$("$_root/scripts/toolchain" --print-bin-dir):$PATH"
export PULUMI_HOME="${PULUMI_HOME:-$FLEET_CACHE_DIR/pulumi-home}"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$FLEET_CACHE_DIR/state}"
# The local demo's state holds only throwaway kubeconfigs of local clusters; an empty passphrase is
# deliberate. Set PULUMI_CONFIG_PASSPHRASE yourself for anything else.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
export PULUMI_SKIP_UPDATE_CHECK=true
# Every stack's run starts Node afresh (the program, the Pulumi SDK, TypeScript for ts-node): Node's
# compile cache (Node 22.1 and later; older ones ignore it) keeps their compiled code between runs,
# about 0.4 s of CPU saved at each start. Entries are checked against the source, so none goes stale.
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$FLEET_CACHE_DIR/node-compile-cache}"
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$PULUMI_HOME" "${PULUMI_BACKEND_URL#file://}"
# The provider is installed as a plugin of the exact version @pulumi/kubernetes asks for, rather than
# found on PATH, so that every preview is free of "using ... from $PATH" warnings.
_k8s_version="$(sed -n 's/^PULUMI_KUBERNETES_VERSION=//p' "$_root/toolchain/versions.env")"
if [[ ! -x "$PULUMI_HOME/plugins/resource-kubernetes-v$_k8s_version/pulumi-resource-kubernetes" ]]; then
  pulumi plugin install resource kubernetes "v$_k8s_version" --file "$(command -v pulumi-resource-kubernetes)" >&2
fi
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
unset _root _k8s_version
