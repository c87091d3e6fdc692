"""`python -m monitoring`: serve on port 8105 unless HTTP_PORT says otherwise;
`python -m monitoring projections rebuild`: rebuild the read models from Kafka."""

import asyncio
import sys

from monitoring.app import definition, settings_from_environment
from reintegration_sdk.cli import rebuild
from reintegration_sdk.service import serve


def main(argv: list[str]) -> int:
    if argv[:2] == ["projections", "rebuild"]:
        # The same as `reintegrate projections rebuild --service monitoring`.
        read = asyncio.run(rebuild(definition.name, settings_from_environment()))
        print(f"monitoring: read models rebuilt from {read} events")
        return 0
    if argv:
        print("usage: python -m monitoring [projections rebuild]", file=sys.stderr)
        return 2
    serve(definition, settings_from_environment())
    return 0


raise SystemExit(main(sys.argv[1:]))
