# shellcheck shell=bash
# Sourced by scripts/demo, scripts/bench and .ci/run: puts the toolchain first on PATH and runs Pulumi
# fully offline on a local file backend kept outside the repository. Every value can be overridden.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FLEET_CACHE_DIR="${FLEET_CACHE_DIR:-$HOME/.cache/fleet-configmap}"
export FLEET_CACHE_DIR
export PATH="$("$_root/scripts/toolchain" --print-bin-dir):$PATH"
export PULUMI_HOME="${PULUMI_HOME:-$FLEET_CACHE_DIR/pulumi-home}"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$FLEET_CACHE_DIR/state}"
# The local demo's state holds only throwaway kubeconfigs of local clusters; an empty passphrase is
# deliberate. Set PULUMI_CONFIG_PASSPHRASE yourself for anything else.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$PULUMI_HOME" "${PULUMI_BACKEND_URL#file://}"
unset _root
