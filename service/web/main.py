"""The ASGI application object for uvicorn: `service.web.main:app`."""

from service.web.app import create_app

app = create_app()
