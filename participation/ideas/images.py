"""Idea images: checked by decoding (never by name), re-encoded without metadata, stored in
instance/uploads/ideas. An image uploaded before the preview waits under pending/ with a signed
token naming its owner, so "Edit" and "Publish" keep it without uploading it again."""

from __future__ import annotations

import io
import os
import secrets
import shutil
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from PIL import Image, ImageOps, UnidentifiedImageError

from ..core.exceptions import ServiceError
from ..core.storage import shared_path

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MIMETYPES = {"jpg": "image/jpeg", "webp": "image/webp"}
PENDING_MAX_AGE = 24 * 60 * 60
TOKEN_SALT = "participation.ideas.pending-image"


@dataclass(frozen=True)
class StoredImage:
    file_name: str
    width: int
    height: int

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.file_name.rsplit(".", 1)[-1]]


def upload_dir() -> Path:
    return shared_path("uploads", "ideas")


def pending_dir() -> Path:
    return upload_dir() / "pending"


def _read_limited(stream) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ServiceError(_("The image is larger than 5 MB. Choose a smaller image."), "image")
    if not data:
        raise ServiceError(_("The image file is empty. Choose another file."), "image")
    return data


def _decode(data: bytes) -> Image.Image:
    unsupported = ServiceError(
        _("The file is not a JPEG, PNG or WebP image. Choose an image in one of these formats."),
        "image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise unsupported
            if probe.width * probe.height > MAX_PIXELS:
                raise ServiceError(_("The image has too many pixels. Choose a smaller image."),
                                   "image")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise unsupported from error
    return image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA"):
        return image.getextrema()[-1][0] < 255
    return image.mode == "P" and "transparency" in image.info


def process_image(stream) -> tuple[bytes, str, int, int]:
    """Decode, orient, shrink and re-encode an upload: (bytes, extension, width, height).

    Re-encoding writes pixels only, so EXIF (location, camera) and other metadata are gone.
    """
    image = _decode(_read_limited(stream))
    image = ImageOps.exif_transpose(image)
    if _has_transparency(image):
        image, extension, options = image.convert("RGBA"), "webp", {"quality": 85}
    else:
        image, extension = image.convert("RGB"), "jpg"
        options = {"quality": 85, "optimize": True, "progressive": True}
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="WEBP" if extension == "webp" else "JPEG", **options)
    return output.getvalue(), extension, image.width, image.height


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def store_pending(stream, owner_id: int) -> tuple[str, StoredImage]:
    """Check and keep an upload until the idea is published; returns (token, image)."""
    data, extension, width, height = process_image(stream)
    folder = pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    purge_stale_pending()
    name = f"{secrets.token_urlsafe(18)}.{extension}"
    (folder / name).write_bytes(data)
    token = _serializer().dumps({"f": name, "u": owner_id, "w": width, "h": height})
    return token, StoredImage(name, width, height)


def pending_image(token: str, owner_id: int) -> StoredImage | None:
    """The pending upload behind `token` if it belongs to `owner_id` and still exists."""
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=PENDING_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("u") != owner_id:
        return None
    name = str(data.get("f", ""))
    if "/" in name or "\\" in name or not (pending_dir() / name).is_file():
        return None
    return StoredImage(name, int(data.get("w", 0)), int(data.get("h", 0)))


def pending_path(image: StoredImage) -> Path:
    return pending_dir() / image.file_name


def publish_pending(image: StoredImage) -> StoredImage:
    """Copy a pending upload to the published images, under a fresh name.

    The pending file stays until discard_pending() after the commit (or the purge), so a
    second "Publish" of the same form racing this one still finds it and the idea made.
    """
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.{image.file_name.rsplit('.', 1)[-1]}"
    try:
        os.link(pending_path(image), folder / name)
    except OSError:
        shutil.copyfile(pending_path(image), folder / name)
    return StoredImage(name, image.width, image.height)


def discard_pending(image: StoredImage | None) -> None:
    if image is not None:
        pending_path(image).unlink(missing_ok=True)


def image_path(file_name: str) -> Path | None:
    if not file_name or "/" in file_name or "\\" in file_name:
        return None
    path = upload_dir() / file_name
    return path if path.is_file() else None


def remove_image(file_name: str | None) -> None:
    path = image_path(file_name or "")
    if path is not None:
        path.unlink(missing_ok=True)


def purge_stale_pending(max_age: int = PENDING_MAX_AGE) -> int:
    """Delete pending uploads older than `max_age` seconds (never published)."""
    folder = pending_dir()
    if not folder.is_dir():
        return 0
    limit = time.time() - max_age
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def mimetype_for(file_name: str) -> str:
    return MIMETYPES.get(file_name.rsplit(".", 1)[-1], "application/octet-stream")
