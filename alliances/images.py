"""Uploaded images (news covers, debate photos), checked and re-encoded with Pillow.

An upload is refused with a message naming the file unless Pillow can decode it as JPEG, PNG
or WebP within the size limits. What is kept is a fresh encoding of the pixels, resized to at
most `MAX_SIDE` pixels on the long side: camera metadata (EXIF, GPS position) and anything
smuggled after the image data are dropped.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from alliances.errors import ApplicationError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 2000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageRejectedError(ApplicationError):
    pass


def image_clean(upload: UploadedFile, *, field: str) -> ContentFile[bytes]:
    """The upload as a clean image file, or `ImageRejectedError` saying what is wrong."""
    name = upload.name or "image"
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImageRejectedError(
            _("“%(name)s” is larger than %(size)d MB.") % {"name": name, "size": MAX_BYTES >> 20},
            field=field,
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            image_format = probe.format or ""
            if image_format not in FORMATS:
                raise ImageRejectedError(
                    _("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": name},
                    field=field,
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejectedError(
                    _("“%(name)s” has too many pixels (%(width)d × %(height)d).")
                    % {"name": name, "width": probe.width, "height": probe.height},
                    field=field,
                )
            probe.verify()
            decoded = Image.open(io.BytesIO(data))
            decoded.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRejectedError(
            _("“%(name)s” is not an image that can be read.") % {"name": name}, field=field
        ) from error
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageRejectedError(
            _("“%(name)s” has too many pixels.") % {"name": name}, field=field
        ) from error
    image: Image.Image = ImageOps.exif_transpose(decoded)  # keep the orientation the EXIF tag gave
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=image_format, **({"quality": 85} if image_format != "PNG" else {}))
    stem = name.rsplit(".", 1)[0][:80] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{FORMATS[image_format]}")
