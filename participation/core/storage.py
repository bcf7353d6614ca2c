"""Where app servers keep files they must all see: under SHARED_DIR (instance/ by default).

With several app servers, SHARED_DIR is a shared mount (NFS, a cluster filesystem), so an
image uploaded through one server is served by every other; nothing else is kept on a server.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def shared_path(*parts: str) -> Path:
    return Path(current_app.config["SHARED_DIR"]).joinpath(*parts)
