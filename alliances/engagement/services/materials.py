"""What is published after a debate besides its minutes: documents (PDF) and photos.

Only the organisers (and the debate moderators) add or remove them, and only once the debate
is held or its report published. A document must really be a PDF (its content starts with
`%PDF-`) of at most `MAX_MATERIAL_BYTES`; a photo goes through `alliances.images.image_clean`,
which re-encodes it without its metadata, and needs a text alternative. Every refusal names the
file. A removed file leaves the storage once the transaction commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliances.engagement.exceptions import DebateError
from alliances.engagement.models import Debate, DebateMaterial, DebatePhoto
from alliances.engagement.selectors.debates import AFTER_EVENT, is_organizer
from alliances.images import ImageRejectedError, image_clean

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model, QuerySet
    from django.db.models.fields.files import FieldFile

    from alliances.accounts.models import User

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"


def _require_organizer(user: User, debate: Debate) -> None:
    if not is_organizer(user, debate):
        raise DebateError(_("Only the organisers of this debate can do this."))


def _require_after_event(user: User, debate: Debate) -> None:
    _require_organizer(user, debate)
    if debate.status not in AFTER_EVENT:
        raise DebateError(
            _("Documents and photos are added once the debate is held (it is “%(status)s”).")
            % {"status": debate.get_status_display()}
        )


def _clean(instance: Model, *, exclude: Sequence[str] = ("debate",)) -> None:
    """`full_clean`, its first refusal as a `DebateError` on its field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DebateError(messages[0], field=field) from error


def _delete_with_file(
    queryset: QuerySet[DebateMaterial] | QuerySet[DebatePhoto],
    *,
    pk: int,
    file_field: str,
    gone: str,
) -> None:
    """Delete the row `pk` of `queryset`; its file leaves the storage once the transaction commits.

    A row that is not there (already removed, or of another debate) is refused with `gone`.
    """
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise DebateError(gone)
    file: FieldFile = getattr(instance, file_field)
    storage, name = file.storage, file.name or ""
    instance.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def material_check(upload: UploadedFile | None) -> UploadedFile:
    """The upload if it is a PDF file of at most 20 MB, else `DebateError` naming the file."""
    if upload is None:
        raise DebateError(_("Choose the PDF file to publish."), field="file")
    name = upload.name or "document"
    if upload.size is not None and upload.size > MAX_MATERIAL_BYTES:
        raise DebateError(
            _("“%(name)s” is larger than %(size)d MB.")
            % {"name": name, "size": MAX_MATERIAL_BYTES >> 20},
            field="file",
        )
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head != PDF_SIGNATURE:
        raise DebateError(_("“%(name)s” is not a PDF file.") % {"name": name}, field="file")
    return upload


@transaction.atomic
def debate_material_add(
    *, debate: Debate, by: User, title: str, upload: UploadedFile | None
) -> DebateMaterial:
    """Publish a PDF document (the regional report, slides…) on the page of a held debate."""
    _require_after_event(by, debate)
    title = title.strip()
    if not title:
        raise DebateError(_("Give the document a title."), field="title")
    upload = material_check(upload)
    material = DebateMaterial(debate=debate, title=title, file=upload, size=upload.size or 0)
    _clean(material)
    material.save()
    return material


@transaction.atomic
def debate_material_delete(*, debate: Debate, by: User, material_id: int) -> None:
    _require_organizer(by, debate)
    _delete_with_file(
        debate.materials.all(),
        pk=material_id,
        file_field="file",
        gone=_("This document has already been removed."),
    )


@transaction.atomic
def debate_photo_add(
    *, debate: Debate, by: User, upload: UploadedFile | None, alt_text: str, caption: str = ""
) -> DebatePhoto:
    """Publish a photo of a held debate, re-encoded without metadata, with its alternative."""
    _require_after_event(by, debate)
    if upload is None:
        raise DebateError(_("Choose the photo to publish."), field="image")
    alt_text = alt_text.strip()
    if not alt_text:
        raise DebateError(
            _("Describe the photo for people who cannot see it (text alternative)."),
            field="alt_text",
        )
    try:
        image = image_clean(upload, field="image")
    except ImageRejectedError as error:
        raise DebateError(error.message, field="image") from error
    photo = DebatePhoto(debate=debate, alt_text=alt_text, caption=caption.strip())
    _clean(photo, exclude=("debate", "image", "width", "height"))
    photo.image.save(image.name or "photo.jpg", image, save=False)
    photo.save()
    return photo


@transaction.atomic
def debate_photo_delete(*, debate: Debate, by: User, photo_id: int) -> None:
    _require_organizer(by, debate)
    _delete_with_file(
        debate.photos.all(),
        pk=photo_id,
        file_field="image",
        gone=_("This photo has already been removed."),
    )
