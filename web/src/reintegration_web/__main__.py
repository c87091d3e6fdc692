"""`python -m reintegration_web`: the staff app's host on HTTP_HOST:HTTP_PORT (default 8100)."""

import uvicorn

from reintegration_web.host import create_app
from reintegration_web.settings import WebSettings


def main() -> None:
    settings = WebSettings.from_environment()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
