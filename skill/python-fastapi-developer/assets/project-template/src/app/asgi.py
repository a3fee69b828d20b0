"""The server's entrypoint (``[tool.fastapi] entrypoint = "app.asgi:app"``).

The one module that reads settings at import; tests import ``app.main`` instead and pass
their own ``Settings``, so a required setting never breaks test collection.
"""

from app.main import create_app

app = create_app()
