"""Images are checked by decoding, re-encoded without metadata and kept small."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from participation.core.exceptions import ServiceError
from participation.ideas import images
from tests.i18n_helpers import translated
from tests.ideas.builders import image_bytes


def _process(app, data: bytes):
    with app.test_request_context():
        return images.process_image(io.BytesIO(data))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_and_reencoded(app, fmt):
    data, extension, width, height = _process(app, image_bytes(fmt, size=(80, 60)))
    decoded = Image.open(io.BytesIO(data))
    assert (extension, decoded.format) == ("jpg", "JPEG")
    assert (width, height) == decoded.size == (80, 60)


def test_transparent_png_becomes_webp_with_alpha(app):
    data, extension, *_size = _process(app, image_bytes("PNG", mode="RGBA",
                                                        color=(10, 20, 30, 100)))
    decoded = Image.open(io.BytesIO(data))
    assert (extension, decoded.format, decoded.mode) == ("webp", "WEBP", "RGBA")


def test_exif_and_other_metadata_are_stripped(app):
    original = image_bytes("JPEG", exif=True)
    assert b"SecretCameraMaker" in original
    data, *_rest = _process(app, original)
    assert b"SecretCameraMaker" not in data and b"SecretSoftware" not in data
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}


def test_large_images_are_shrunk_to_1600_pixels(app):
    data, _extension, width, height = _process(app, image_bytes("PNG", size=(3200, 1000)))
    assert (width, height) == (1600, 500)
    assert Image.open(io.BytesIO(data)).size == (1600, 500)


@pytest.mark.parametrize("data", [
    b"This is a text file named photo.jpg\n" * 20,
    image_bytes("GIF"),
    image_bytes("BMP"),
    image_bytes("JPEG")[:200],
])
def test_other_files_are_refused(app, data):
    with pytest.raises(ServiceError) as caught:
        _process(app, data)
    assert caught.value.field == "image"


def test_files_over_five_megabytes_are_refused(app):
    with pytest.raises(ServiceError) as caught:
        _process(app, b"\xff\xd8" + b"0" * (5 * 1024 * 1024))
    assert caught.value.field == "image"
    assert str(caught.value.message) == translated(
        app, "The image is larger than 5 MB. Choose a smaller image.", "fi")


def test_decompression_bombs_are_refused(app):
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, format="PNG")
    assert len(bomb.getvalue()) < 5 * 1024 * 1024
    with pytest.raises(ServiceError):
        _process(app, bomb.getvalue())


def test_pending_tokens_belong_to_their_owner(app):
    with app.test_request_context():
        token, image = images.store_pending(io.BytesIO(image_bytes()), owner_id=7)
        assert images.pending_image(token, 7) == image
        assert images.pending_image(token, 8) is None
        assert images.pending_image(token + "x", 7) is None
        assert images.pending_image("", 7) is None
        published = images.publish_pending(image)
        assert images.pending_image(token, 7) == image  # until the idea is committed
        images.discard_pending(image)
        assert images.pending_image(token, 7) is None
        assert images.image_path(published.file_name).read_bytes()[:2] == b"\xff\xd8"
        assert images.image_path("../secret_key") is None
