"""serve stage: the offline web view (map, timeline, evidence) and the self-contained HTML report.

  serve(db, host="127.0.0.1", port=8000)     run the read-only web app over a store (blocks)
  create_app(db) -> FastAPI                  the app itself (sitrep.serve.app), for tests and embedding
  write_report(db, out) -> int               one self-contained HTML file (sitrep.serve.report)
"""
from __future__ import annotations

import os
from typing import Any

from sitrep.errors import UsageError

__all__ = ["create_app", "serve", "write_report"]


def create_app(db_path: str | os.PathLike) -> Any:
    try:
        from sitrep.serve.app import create_app as _create
    except ImportError as exc:
        raise UsageError(f"the web view needs fastapi and uvicorn ({exc.name} is missing): "
                         "pip install fastapi uvicorn") from exc
    return _create(db_path)


def serve(db_path: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the web view of the store at ``db_path`` on http://host:port/ until interrupted."""
    app = create_app(db_path)
    try:
        import uvicorn
    except ImportError as exc:
        raise UsageError("the web view needs uvicorn: pip install uvicorn") from exc
    print(f"sitrep: serving {os.fspath(db_path)} on http://{host}:{port}/ (read-only; Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def write_report(db_path: str | os.PathLike, out_path: str | os.PathLike) -> int:
    """Write one self-contained HTML report of the store; returns the number of events in it."""
    from sitrep.serve.report import write_report as _write

    return _write(db_path, out_path)
