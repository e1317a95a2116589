#!/bin/sh
# The canary wave's gate (fleet.yaml): after the wave's `up` and its soak, `fleet-rollout up` runs this
# with FLEET_WAVE, the wave's name, and FLEET_WAVE_CLUSTERS, a JSON file of the wave's clusters with their
# kubeconfigs. A non-zero exit stops the rollout before the next wave. A real smoke test would call the
# service (an HTTP health check, an error-rate query); the local clusters run no containers, so this one
# checks what the API can tell: every Deployment of the example's namespace is Available in every cluster
# of the wave.
set -eu
NAMESPACE="${SMOKE_NAMESPACE:-shop}"
node -e '
  const { clusters } = JSON.parse(require("fs").readFileSync(process.env.FLEET_WAVE_CLUSTERS, "utf8"));
  for (const c of clusters) console.log([c.name, c.kubeconfig, c.context ?? ""].join("\t"));
' | while IFS="$(printf '\t')" read -r name kubeconfig context; do
    kubectl --kubeconfig "$kubeconfig" ${context:+--context "$context"} -n "$NAMESPACE" \
        wait --for=condition=Available deployment --all --timeout=60s >/dev/null
    echo "smoke: $name: every deployment in $NAMESPACE is available"
done
