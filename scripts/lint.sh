#!/usr/bin/env bash
# Lints what the compiler does not see: every shell script (shellcheck), every YAML file (parsed), and the Kubernetes
# examples checked strictly against the API (needs scripts/setup.sh --test-servers for tests/kube-manifests).
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t scripts < <(git ls-files '*.sh' 2>/dev/null || find . -name '*.sh' -not -path './artifacts/*')
shellcheck -x "${scripts[@]}"
mapfile -t documents < <(git ls-files '*.yaml' '*.yml' 2>/dev/null || find . -name '*.yaml' -not -path './artifacts/*')
python3 - "${documents[@]}" <<'PY'
import sys, yaml
for path in sys.argv[1:]:
    with open(path) as handle:
        documents = [document for document in yaml.safe_load_all(handle) if document is not None]
    if not documents:
        sys.exit(f"{path}: no YAML document")
    for document in documents:
        if "kind" not in document and "services" not in document:
            sys.exit(f"{path}: neither a Kubernetes object nor a compose file")
print(f"lint: {len(sys.argv) - 1} YAML files parse")
PY
echo "lint: ${#scripts[@]} shell scripts pass shellcheck"
# The Kubernetes examples against the API's types and schemas, unknown fields refused (tests/kube-manifests).
mapfile -t manifests < <(git ls-files 'examples/kube/*.yaml' 2>/dev/null || find examples/kube -name '*.yaml')
node tests/kube-manifests/check.mjs "${manifests[@]}"
