#!/usr/bin/env python3
"""A Kubernetes example as Podman 4.3's `kube play` can run it, with the substitutions examples/kube/backrest/common.sh
makes (apply_manifest). Podman plays Pods, Deployments, PersistentVolumeClaims and ConfigMaps; a Job's pod template
is played as a Pod; anything else is left out. Every change is said on stderr, one line each.
Usage: kube-for-podman.py MANIFEST IMAGE > PLAYABLE"""
import sys

import yaml

path, image = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text = text.replace("${BACKREST_IMAGE}", image).replace("${CCP_NAMESPACE}", "default").replace("${CCP_BACKREST_TIMESTAMP}", "")
playable = []
for document in yaml.safe_load_all(text):
    if document is None:
        continue
    kind, name = document["kind"], document["metadata"]["name"]
    if kind in ("Pod", "Deployment", "PersistentVolumeClaim", "ConfigMap"):
        playable.append(document)
    elif kind == "Job":
        template = document["spec"]["template"]
        labels = template.get("metadata", {}).get("labels", {})
        playable.append({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels}, "spec": template["spec"]})
        print(f"adapted: Job {name} is played as a Pod of its template (kube play in Podman 4.3 runs no Job)", file=sys.stderr)
    else:
        print(f"adapted: {kind} {name} is left out (kube play in Podman 4.3 does not run it)", file=sys.stderr)
yaml.safe_dump_all(playable, sys.stdout, sort_keys=False)
