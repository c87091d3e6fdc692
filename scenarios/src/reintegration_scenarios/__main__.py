import sys

from reintegration_scenarios.cli import main

sys.exit(main())
