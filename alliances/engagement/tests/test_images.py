"""`alliances.images.image_clean`: what is accepted, what is refused, and what is kept."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageOps, PngImagePlugin

from alliances import images
from alliances.images import ImageRejectedError, image_clean


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched in their English source text (French is the default language)."""
    with translation.override("en"):
        yield


GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">auteur-secret</x:xmpmeta>'


def encode(image_format, size=(60, 40), mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, format=image_format, **options)
    return buffer.getvalue()


def upload(data, name="image.png"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def opened(cleaned):
    return Image.open(io.BytesIO(cleaned.read()))


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = "Appareil photo"  # Make
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 6.0, 30.0), 3: "W", 4: (1.0, 40.0, 0.0)})
    return exif


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_image_clean_accepts_png_jpeg_and_webp(image_format, extension):
    cleaned = image_clean(upload(encode(image_format), "photo.bin"), field="cover")
    assert cleaned.name == f"photo.{extension}"
    with opened(cleaned) as image:
        assert image.format == image_format
        assert image.size == (60, 40)


def test_image_clean_accepts_a_camera_jpeg_written_as_mpo():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (50, 30), "red"), Image.new("RGB", (50, 30), "blue")
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    cleaned = image_clean(upload(buffer.getvalue(), "portrait.jpg"), field="cover")
    with opened(cleaned) as image:
        assert image.format == "JPEG"
        assert image.size == (50, 30)


def test_image_clean_reads_an_upload_from_its_start():
    file = upload(encode("PNG"))
    file.read()
    with opened(image_clean(file, field="cover")) as image:
        assert image.size == (60, 40)


def test_image_clean_refuses_a_text_file_naming_it():
    with pytest.raises(ImageRejectedError, match=r"compte-rendu\.txt") as error:
        image_clean(upload(b"Bonjour, ceci est du texte.\n", "compte-rendu.txt"), field="cover")
    assert error.value.field == "cover"


def test_image_clean_refuses_a_gif():
    with pytest.raises(ImageRejectedError, match="not a JPEG, PNG or WebP"):
        image_clean(upload(encode("GIF"), "anime.gif"), field="cover")


def test_image_clean_refuses_a_truncated_image():
    noisy = Image.effect_noise((400, 300), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    data = buffer.getvalue()
    with pytest.raises(ImageRejectedError, match=r"coupee\.png"):
        image_clean(upload(data[: len(data) // 2], "coupee.png"), field="cover")


def test_image_clean_refuses_a_file_too_large(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(ImageRejectedError, match="larger than 1 MB"):
        image_clean(upload(b"\0" * (1024 * 1024 + 1), "lourde.png"), field="cover")


def test_image_clean_refuses_too_many_pixels(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    with pytest.raises(ImageRejectedError, match=r"too many pixels \(200 × 100\)"):
        image_clean(upload(encode("PNG", size=(200, 100)), "large.png"), field="cover")


def png_claiming(width, height):
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb."""
    data = bytearray(encode("PNG", size=(1, 1), mode="L"))
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


@pytest.mark.parametrize("side", [8_000, 100_000])
def test_image_clean_refuses_a_decompression_bomb_before_decoding_it(side):
    with pytest.raises(ImageRejectedError, match="too many pixels"):
        image_clean(upload(png_claiming(side, side), "bombe.png"), field="cover")


@pytest.mark.parametrize(
    ("size", "expected"), [((4000, 1000), (2000, 500)), ((900, 3000), (600, 2000))]
)
def test_image_clean_reduces_the_long_side_to_2000_pixels(size, expected):
    with opened(image_clean(upload(encode("JPEG", size=size)), field="cover")) as image:
        assert image.size == expected


def test_image_clean_keeps_a_small_image_at_its_size():
    with opened(image_clean(upload(encode("PNG", size=(1999, 20))), field="cover")) as image:
        assert image.size == (1999, 20)


def test_image_clean_drops_the_exif_and_xmp_of_a_jpeg():
    data = encode("JPEG", exif=camera_exif(), xmp=XMP, comment=b"commentaire-secret")
    assert b"auteur-secret" in data
    assert b"commentaire-secret" in data
    cleaned = image_clean(upload(data, "photo.jpg"), field="cover").read()
    assert b"Exif" not in cleaned
    assert b"auteur-secret" not in cleaned
    assert b"commentaire-secret" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)


def test_image_clean_drops_the_text_chunks_and_exif_of_a_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "auteur-secret")
    data = encode("PNG", pnginfo=info, exif=camera_exif())
    assert b"auteur-secret" in data
    cleaned = image_clean(upload(data), field="cover").read()
    assert b"auteur-secret" not in cleaned
    assert b"eXIf" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif()


def test_image_clean_drops_the_exif_and_xmp_of_a_webp():
    data = encode("WEBP", exif=camera_exif(), xmp=XMP)
    cleaned = image_clean(upload(data, "photo.webp"), field="cover").read()
    assert b"EXIF" not in cleaned
    assert b"auteur-secret" not in cleaned


def test_image_clean_drops_what_follows_the_image_data():
    data = encode("PNG") + b"<script>alert(1)</script>"
    assert b"<script>" not in image_clean(upload(data), field="cover").read()


def test_image_clean_turns_a_photo_as_its_exif_orientation_says():
    data = encode("JPEG", size=(60, 40), exif=camera_exif(orientation=6))
    with opened(image_clean(upload(data, "photo.jpg"), field="cover")) as image:
        assert image.size == (40, 60)


def test_image_clean_ignores_an_unreadable_exif_block():
    raw = bytearray(camera_exif(orientation=6).tobytes())
    raw[17] = 83  # the first tag becomes one whose value has the wrong type
    data = encode("JPEG", exif=bytes(raw))
    with pytest.raises(struct.error):  # what Pillow's own `exif_transpose` does with it
        ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    with opened(image_clean(upload(data, "abimee.jpg"), field="cover")) as image:
        assert image.format == "JPEG"


def test_image_clean_keeps_the_transparency_of_a_palette_png():
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 255, 255, 11, 85, 99] + [0] * 762)
    image.paste(1, (5, 5, 15, 15))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=0)
    with opened(image_clean(upload(buffer.getvalue()), field="cover")) as cleaned:
        assert cleaned.convert("RGBA").getpixel((0, 0))[3] == 0
        assert cleaned.convert("RGBA").getpixel((10, 10))[3] == 255
