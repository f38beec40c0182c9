# shellcheck shell=bash
# Shared by the Kubernetes examples: the CLI (kubectl or oc, as the guide's ${CCP_CLI}), the namespace and the image.
CCP_CLI=${CCP_CLI:-kubectl}
CCP_NAMESPACE=${CCP_NAMESPACE:-default}
BACKREST_IMAGE=${BACKREST_IMAGE:-backrest-container:latest}
export CCP_CLI CCP_NAMESPACE BACKREST_IMAGE

# Applies a manifest with ${CCP_NAMESPACE}, ${BACKREST_IMAGE} and, where given, ${CCP_BACKREST_TIMESTAMP} filled in.
apply_manifest() {
    sed -e "s|\${CCP_NAMESPACE}|${CCP_NAMESPACE}|g" \
        -e "s|\${BACKREST_IMAGE}|${BACKREST_IMAGE}|g" \
        -e "s|\${CCP_BACKREST_TIMESTAMP}|${CCP_BACKREST_TIMESTAMP:-}|g" \
        "$1" | ${CCP_CLI} apply --namespace="${CCP_NAMESPACE}" -f -
}
