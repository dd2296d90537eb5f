"""The REST service: FastAPI app, API-key auth, audit trail, review cases (adapter side).

``create_app`` builds the application; ``chipexport serve`` runs it under uvicorn.
"""

from chipexport.service.app import create_app

__all__ = ["create_app"]
