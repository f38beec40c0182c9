# shellcheck shell=bash
# Sourced by the scripts that need root (Linux namespaces, apt): re-runs the calling script with sudo when needed,
# keeping PATH so the same dotnet is found.
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo --preserve-env=PATH,DOTNET_ROOT,HOME env "PATH=$PATH" bash "$0" "$@"
    fi
    echo "$(basename "$0"): needs root (Linux namespaces and apt) and sudo is not installed; run it as root" >&2
    exit 1
fi
