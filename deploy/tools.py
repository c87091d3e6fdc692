"""kustomize and kubeconform, built from their Go modules at pinned versions into .local/bin.

    python3 deploy/tools.py            # build what is missing or not at its pin; print paths

Standard library only (`make install` and the tests call it). `go install module@version`
resolves the module and its dependencies through the Go module proxy and checks them against
the checksum database, so a pin here is the whole tool. A binary already in .local/bin is kept
when `go version -m` shows it was built from the pinned module version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".local" / "bin"

# name -> (package to install, its module, version). Versions that build with this machine's
# Go 1.26 (kustomize v5.8.3 needs Go 1.27).
TOOLS: dict[str, tuple[str, str, str]] = {
    "kustomize": (
        "sigs.k8s.io/kustomize/kustomize/v5",
        "sigs.k8s.io/kustomize/kustomize/v5",
        "v5.8.2",
    ),
    "kubeconform": (
        "github.com/yannh/kubeconform/cmd/kubeconform",
        "github.com/yannh/kubeconform",
        "v0.8.0",
    ),
}


class ToolError(RuntimeError):
    """Go is missing or a build failed."""


def built_version(binary: Path) -> str | None:
    """The main module version recorded in a Go binary, or None if unreadable."""
    go = shutil.which("go")
    if go is None or not binary.exists():
        return None
    result = subprocess.run([go, "version", "-m", str(binary)], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0] == "mod":
            return f"{fields[1]}@{fields[2]}"
    return None


def ensure(name: str) -> Path:
    """Path to tool `name` at its pinned version, building it first if needed."""
    package, module, version = TOOLS[name]
    binary = BIN / name
    if built_version(binary) == f"{module}@{version}":
        return binary
    go = shutil.which("go")
    if go is None:
        raise ToolError(f"{name}: Go is needed to build {package}@{version} (apt: golang)")
    BIN.mkdir(parents=True, exist_ok=True)
    print(f"building {name} {version} from {package} (first time: a few minutes)", flush=True)
    env = {**os.environ, "GOBIN": str(BIN), "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"}
    result = subprocess.run(
        [go, "install", f"{package}@{version}"], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise ToolError(f"go install {package}@{version} failed:\n{result.stderr[-4000:]}")
    return binary


def main() -> int:
    try:
        for name in TOOLS:
            print(f"{name:12} {ensure(name)}  ({TOOLS[name][1]}@{TOOLS[name][2]})")
    except ToolError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
