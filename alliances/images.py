"""Uploaded images (news covers, debate photos), checked and re-encoded with Pillow.

An upload is refused with a message naming the file unless Pillow can decode it as JPEG, PNG
or WebP within the size limits. What is kept is a fresh encoding of the pixels, resized to at
most `MAX_SIDE` pixels on the long side: camera metadata (EXIF, GPS position) and anything
smuggled after the image data are dropped. The EXIF orientation is applied to the pixels
first (a phone photo stays upright); an unreadable EXIF block is ignored, never an error.
Phones often write JPEGs as MPO (a JPEG with extra pictures): the first picture is kept.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from alliances.errors import ApplicationError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 2000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# What Pillow reports for some camera JPEGs, and the format they are saved in.
SAME_AS = {"MPO": "JPEG"}
EXIF_ORIENTATION = 0x0112
TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class ImageRejectedError(ApplicationError):
    pass


def _upright(image: Image.Image) -> Image.Image:
    """The pixels turned as the EXIF orientation tag says; as stored when the tag is unreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # « Corrupt EXIF data »: nothing to act on
            orientation = image.getexif().get(EXIF_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - untrusted camera metadata fails in many ways; it is dropped anyway
        return image
    method = TRANSPOSITIONS.get(orientation) if isinstance(orientation, int) else None
    return image.transpose(method) if method is not None else image


def image_clean(upload: UploadedFile, *, field: str) -> ContentFile[bytes]:
    """The upload as a clean image file, or `ImageRejectedError` saying what is wrong."""
    name = upload.name or "image"
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImageRejectedError(
            _("“%(name)s” is larger than %(size)d MB.") % {"name": name, "size": MAX_BYTES >> 20},
            field=field,
        )
    upload.seek(0)  # a form or a validator may have read it already
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            image_format = SAME_AS.get(probe.format or "", probe.format or "")
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
    image = _upright(decoded)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    # Only what drawing the pixels needs goes on: EXIF, XMP, text chunks and comments stay out.
    icc_profile = image.info.get("icc_profile")
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    options: dict[str, object] = {} if image_format == "PNG" else {"quality": 85}
    if icc_profile:
        options["icc_profile"] = icc_profile  # colours, e.g. a phone's Display P3
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    stem = name.rsplit(".", 1)[0][:80] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{FORMATS[image_format]}")
