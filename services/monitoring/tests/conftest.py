"""Monitoring's tests: builders on the path; integration tests share one running service."""

import sys
from pathlib import Path

# --import-mode=importlib leaves sys.path alone; the builders are shared by this folder's tests
# under a name no other service's tests use.
sys.path.insert(0, str(Path(__file__).parent))
