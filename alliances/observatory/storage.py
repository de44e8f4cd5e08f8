"""The private microdata storage: uploads being validated, datasets and raked weights.

Files live outside MEDIA_ROOT (which `DEBUG` serves publicly) in a storage that has no URL;
no view streams them. A dataset or weighting file is written once, named after its content's
SHA-256, and checked against that checksum each time it is read (see decision 0005).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage


class MicrodataIntegrityError(RuntimeError):
    """A stored microdata file no longer matches its checksum: a bug or a tampering."""


def microdata_root() -> Path:
    return Path(settings.ALLIANCES_MICRODATA_ROOT)


def microdata_storage() -> Storage:
    """A file system storage without a base URL, outside the public media directory."""
    return FileSystemStorage(location=microdata_root(), base_url=None)


def frame_bytes(columns: Mapping[str, npt.NDArray[Any]]) -> bytes:
    buffer = io.BytesIO()
    pl.DataFrame({name: pl.Series(name, values) for name, values in columns.items()}).write_parquet(
        buffer, compression="zstd", statistics=False
    )
    return buffer.getvalue()


def checksum_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def columns_write(
    *, directory: str, stem: str, columns: Mapping[str, npt.NDArray[Any]]
) -> tuple[str, str]:
    """Write columns as an immutable Parquet file; return its storage name and checksum."""
    content = frame_bytes(columns)
    checksum = checksum_of(content)
    storage = microdata_storage()
    wanted = f"{directory}/{stem}-{checksum[:16]}.parquet"
    if storage.exists(wanted):
        return wanted, checksum
    name = storage.save(wanted, ContentFile(content))
    return name, checksum


def columns_read(*, name: str, checksum: str) -> dict[str, npt.NDArray[Any]]:
    """The columns of a stored Parquet file as NumPy arrays (text as `str`, numbers float64)."""
    storage = microdata_storage()
    with storage.open(name, "rb") as handle:
        content = handle.read()
    if checksum_of(content) != checksum:
        raise MicrodataIntegrityError(f"{name} does not match its checksum {checksum}")
    frame = pl.read_parquet(io.BytesIO(content))
    columns: dict[str, npt.NDArray[Any]] = {}
    for name_, series in zip(frame.columns, frame.get_columns(), strict=True):
        if series.dtype == pl.String:
            columns[name_] = series.fill_null("").to_numpy().astype(str)
        else:
            columns[name_] = series.cast(pl.Float64).fill_null(np.nan).to_numpy()
    return columns
