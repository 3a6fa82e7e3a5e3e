"""corridors.web: the local dashboard (``corridors serve``), a FastAPI app over the library.

``create_app`` in :mod:`corridors.web.app` builds it; the JSON API is under ``/api/``
(its OpenAPI document at ``/openapi.json``). Nothing here computes a model result: the
modules parse requests, call the library and present what it returns.
"""
