"""The ASGI application object for uvicorn: `service.web.main:app`."""

import logging

from service.web.app import create_app

# uvicorn's own access log is off (it prints full paths, which carry tokens); ours goes here.
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
app = create_app()
