"""The news services: who may write, slugs, the cover and its alternative, links, publication."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from alliances.engagement.exceptions import ArticleError
from alliances.engagement.models import Article, ArticleStatus
from alliances.engagement.services.news import (
    ArticleContent,
    article_create,
    article_publish,
    article_unpublish,
    article_update,
)
from alliances.engagement.tests.factories import DebateFactory, ScheduledDebateFactory
from alliances.learning.tests.factories import CourseFactory, build_cohort


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched in their English source text (French is the default language)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def content(**overrides):
    fields = {
        "title": "Les rapports régionaux sont en ligne",
        "summary": "Les treize rapports régionaux de l’étude sont publiés.",
        "body": "Le texte de l’article, avec un [lien](https://example.org).",
        "category": "etudes",
    }
    fields.update(overrides)
    return ArticleContent(**fields)


def image_upload(name="couverture.png", image_format="PNG", size=(120, 80), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (11, 85, 99))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Appareil photo"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 6.0, 30.0), 3: "W", 4: (1.0, 40.0, 0.0)})
    return exif


@pytest.fixture
def editor(role_user):
    return role_user("moderator")


@pytest.fixture
def reader(user_factory):
    return user_factory()


def stored(article):
    return Path(article.cover.path)


# --------------------------------------------------------------------------- who may write


def test_article_create_refuses_a_user_without_the_permission(reader):
    with pytest.raises(ArticleError, match="news editors"):
        article_create(by=reader, content=content())
    assert not Article.objects.exists()


def test_article_publish_refuses_a_user_without_the_permission(editor, reader):
    article = article_create(by=editor, content=content())
    with pytest.raises(ArticleError):
        article_publish(article=article, by=reader)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_article_services_accept_an_administrator(role_user):
    administrator = role_user("administrator")
    article = article_create(by=administrator, content=content())
    article_publish(article=article, by=administrator)
    assert Article.objects.get().is_published


# --------------------------------------------------------------------------- text and slug


def test_article_create_makes_a_draft_by_its_author_with_a_slug_from_the_title(editor):
    article = article_create(by=editor, content=content(title="  Île-de-France : l’étude  "))
    assert article.status == ArticleStatus.DRAFT
    assert article.published_at is None
    assert article.author == editor
    assert article.title == "Île-de-France : l’étude"
    assert article.slug == "ile-de-france-letude"


def test_article_create_gives_a_repeated_title_a_unique_slug(editor):
    first = article_create(by=editor, content=content(title="Nouvelle session"))
    second = article_create(by=editor, content=content(title="Nouvelle session"))
    third = article_create(by=editor, content=content(title="Nouvelle session !"))
    assert [first.slug, second.slug, third.slug] == [
        "nouvelle-session",
        "nouvelle-session-2",
        "nouvelle-session-3",
    ]


@pytest.mark.parametrize(("title", "slug"), [("Gestion", "gestion-2"), ("Flux", "flux-2")])
def test_article_create_never_takes_the_path_of_a_news_page(editor, title, slug):
    assert article_create(by=editor, content=content(title=title)).slug == slug


def test_article_create_gives_a_slug_to_a_title_without_letters(editor):
    assert article_create(by=editor, content=content(title="« ! »")).slug == "actualite"


@pytest.mark.parametrize(
    ("field", "message"),
    [("title", "title"), ("summary", "summary"), ("body", "text of the article")],
)
def test_article_create_requires_the_title_the_summary_and_the_body(editor, field, message):
    with pytest.raises(ArticleError, match=message) as error:
        article_create(by=editor, content=content(**{field: "   "}))
    assert error.value.field == field


def test_article_create_refuses_an_unknown_category(editor):
    with pytest.raises(ArticleError) as error:
        article_create(by=editor, content=content(category="sport"))
    assert error.value.field == "category"


def test_article_update_renames_the_slug_of_a_never_published_article_only(editor):
    article = article_create(by=editor, content=content(title="Premier titre"))
    article = article_update(article=article, by=editor, content=content(title="Second titre"))
    assert article.slug == "second-titre"
    article_publish(article=article, by=editor)
    article = article_update(article=article, by=editor, content=content(title="Troisième"))
    assert article.slug == "second-titre"
    assert article.title == "Troisième"


def test_article_update_keeps_its_own_slug(editor):
    article = article_create(by=editor, content=content(title="Même titre"))
    article = article_update(article=article, by=editor, content=content(title="Même titre"))
    assert article.slug == "meme-titre"


# --------------------------------------------------------------------------- cover


def test_article_create_stores_the_cover_with_its_size_and_alternative(editor):
    article = article_create(
        by=editor,
        content=content(cover_alt="Des cercles bleus sur fond clair"),
        cover=image_upload(size=(2400, 1200)),
    )
    assert stored(article).exists()
    assert (article.cover_width, article.cover_height) == (2000, 1000)
    assert article.cover_alt == "Des cercles bleus sur fond clair"


def test_article_create_requires_an_alternative_with_a_cover(editor, media_root):
    with pytest.raises(ArticleError, match="text alternative") as error:
        article_create(by=editor, content=content(cover_alt=" "), cover=image_upload())
    assert error.value.field == "cover_alt"
    assert not Article.objects.exists()
    assert not list(media_root.rglob("*.png"))


def test_article_create_forgets_an_alternative_without_a_cover(editor):
    article = article_create(by=editor, content=content(cover_alt="Une image absente"))
    assert article.cover_alt == ""


def test_article_create_refuses_a_file_that_is_not_an_image_naming_it(editor):
    upload = SimpleUploadedFile("programme.txt", b"Ceci n'est pas une image.", "image/png")
    with pytest.raises(ArticleError, match=r"programme\.txt") as error:
        article_create(by=editor, content=content(cover_alt="Texte"), cover=upload)
    assert error.value.field == "cover"
    assert not Article.objects.exists()


def test_article_create_removes_the_gps_position_of_a_jpeg(editor):
    upload = image_upload("photo.jpg", "JPEG", exif=gps_exif())
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the photo does carry a position
    upload.seek(0)
    article = article_create(by=editor, content=content(cover_alt="Une salle"), cover=upload)
    data = stored(article).read_bytes()
    assert b"Exif" not in data
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.format == "JPEG"
        assert not kept.getexif()
        assert "exif" not in kept.info


def test_article_update_replaces_the_cover_and_deletes_the_old_file(
    editor, django_capture_on_commit_callbacks
):
    article = article_create(by=editor, content=content(cover_alt="Avant"), cover=image_upload())
    old = stored(article)
    with django_capture_on_commit_callbacks(execute=True):
        article = article_update(
            article=article,
            by=editor,
            content=content(cover_alt="Après"),
            cover=image_upload("nouvelle.webp", "WEBP"),
        )
    assert not old.exists()
    assert stored(article).exists()
    assert article.cover.name.endswith(".webp")
    assert article.cover_alt == "Après"


def test_article_update_keeps_the_cover_when_no_file_is_sent(editor):
    article = article_create(by=editor, content=content(cover_alt="Image"), cover=image_upload())
    name = article.cover.name
    article = article_update(article=article, by=editor, content=content(cover_alt="Image"))
    assert article.cover.name == name


def test_article_update_requires_the_alternative_of_the_kept_cover(editor):
    article = article_create(by=editor, content=content(cover_alt="Image"), cover=image_upload())
    with pytest.raises(ArticleError) as error:
        article_update(article=article, by=editor, content=content(cover_alt=""))
    assert error.value.field == "cover_alt"


def test_article_update_can_remove_the_cover(editor, django_capture_on_commit_callbacks):
    article = article_create(by=editor, content=content(cover_alt="Image"), cover=image_upload())
    old = stored(article)
    with django_capture_on_commit_callbacks(execute=True):
        article = article_update(
            article=article, by=editor, content=content(cover_alt="Image"), remove_cover=True
        )
    article.refresh_from_db()
    assert not article.cover
    assert (article.cover_width, article.cover_height, article.cover_alt) == (0, 0, "")
    assert not old.exists()


# --------------------------------------------------------------------------- links


def test_article_create_links_a_study_a_session_and_a_public_debate(editor):
    from alliances.observatory.tests.factories import StudyWaveFactory

    wave = StudyWaveFactory()
    cohort = build_cohort(CourseFactory(), code="2026-11", title="Session de novembre")
    debate = ScheduledDebateFactory()
    article = article_create(by=editor, content=content(study=wave, cohort=cohort, debate=debate))
    article.refresh_from_db()
    assert (article.study, article.cohort, article.debate) == (wave, cohort, debate)


def test_article_create_refuses_a_debate_that_is_not_public(editor):
    with pytest.raises(ArticleError, match="shown to the public") as error:
        article_create(by=editor, content=content(debate=DebateFactory()))
    assert error.value.field == "debate"


def test_article_create_refuses_a_session_of_an_unpublished_course(editor):
    cohort = build_cohort(CourseFactory(is_published=False), code="2026-11", title="Session")
    with pytest.raises(ArticleError, match="not published") as error:
        article_create(by=editor, content=content(cohort=cohort))
    assert error.value.field == "cohort"


# --------------------------------------------------------------------------- publication


def test_article_publish_sets_the_publication_date_the_first_time_only(editor):
    first = datetime(2026, 3, 2, 9, tzinfo=UTC)
    article = article_create(by=editor, content=content())
    with mock.patch("django.utils.timezone.now", return_value=first):
        article = article_publish(article=article, by=editor)
    assert article.is_published
    assert article.published_at == first
    article = article_unpublish(article=article, by=editor)
    assert article.status == ArticleStatus.DRAFT
    article = article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.is_published
    assert article.published_at == first


def test_article_publish_takes_a_given_date(editor):
    moment = datetime(2025, 11, 20, 10, tzinfo=UTC)
    article = article_publish(
        article=article_create(by=editor, content=content()), by=editor, now=moment
    )
    assert article.published_at == moment


def test_article_publish_refuses_a_published_article(editor):
    article = article_publish(article=article_create(by=editor, content=content()), by=editor)
    with pytest.raises(ArticleError, match="already published"):
        article_publish(article=article, by=editor)


def test_article_unpublish_refuses_a_draft(editor):
    article = article_create(by=editor, content=content())
    with pytest.raises(ArticleError, match="not published"):
        article_unpublish(article=article, by=editor)
