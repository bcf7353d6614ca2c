"""Progress-update photos: decoded, size-limited and re-encoded as JPEG (no metadata kept)."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ...core.exceptions import ServiceError
from ...core.storage import shared_path

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


def photo_folder() -> Path:
    folder = shared_path("uploads", "budgeting")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reencode_photo(data: bytes) -> tuple[bytes, int, int]:
    """JPEG bytes and size of an uploaded image; ServiceError if it is not a usable image."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ServiceError(_("Upload a photo as a JPEG, PNG, WebP or GIF file."),
                                   "photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise ServiceError(_("The photo is too large. Use a photo of at most 40 "
                                     "megapixels."), "photo")
            probe.load()
            image = ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ServiceError(_("The file is not a photo we can read. Upload a JPEG or PNG "
                             "file."), "photo") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height


def store_photo(data: bytes) -> tuple[str, int, int]:
    """Save a re-encoded photo; returns (file name, width, height)."""
    encoded, width, height = reencode_photo(data)
    name = f"{secrets.token_hex(16)}.jpg"
    (photo_folder() / name).write_bytes(encoded)
    return name, width, height
