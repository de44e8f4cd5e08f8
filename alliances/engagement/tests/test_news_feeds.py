"""The RSS and Atom feeds of the news, read back as XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import translation

from alliances.engagement.models import ArticleStatus, NewsCategory
from alliances.engagement.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

RSS = reverse("news:feed_rss")
ATOM = reverse("news:feed_atom")
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}
MOMENT = datetime(2026, 4, 2, 8, 30, tzinfo=UTC)


@pytest.fixture
def articles():
    older = ArticleFactory(
        title="Les rapports régionaux",
        slug="les-rapports-regionaux",
        summary="Treize rapports & une synthèse <nationale>.",
        category="etudes",
        published_at=MOMENT - timedelta(days=20),
    )
    newer = ArticleFactory(
        title="Nouvelle session du cours",
        slug="nouvelle-session",
        summary="Quatre semaines, un épisode par semaine.",
        category="formation",
        published_at=MOMENT,
    )
    ArticleFactory(
        title="Brouillon secret",
        slug="brouillon-secret",
        status=ArticleStatus.DRAFT,
        published_at=None,
    )
    return older, newer


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - the platform's own feed


def test_rss_lists_the_published_articles_newest_first(client, articles):
    response = client.get(RSS)
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response).find("channel")
    assert channel.findtext("title")
    assert channel.findtext("description")
    assert channel.findtext("link") == "http://testserver/actualites/"
    assert channel.findtext("language") == "fr"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Nouvelle session du cours",
        "Les rapports régionaux",
    ]
    newest = items[0]
    assert newest.findtext("link") == "http://testserver/actualites/nouvelle-session/"
    assert newest.findtext("description") == "Quatre semaines, un épisode par semaine."
    assert parsedate_to_datetime(newest.findtext("pubDate")) == MOMENT
    with translation.override("fr"):
        label = str(NewsCategory.COURSES.label)
    assert [category.text for category in newest.findall("category")] == [label]
    assert newest.find("enclosure") is None


def test_rss_leaves_the_drafts_out(client, articles):
    body = client.get(RSS).content.decode()
    assert "Brouillon secret" not in body
    assert "brouillon-secret" not in body


def test_rss_escapes_the_summary_as_html(client, articles):
    items = parse(client.get(RSS)).find("channel").findall("item")
    assert items[1].findtext("description") == (
        "Treize rapports &amp; une synthèse &lt;nationale&gt;."
    )


def test_atom_lists_the_published_articles_with_absolute_links(client, articles):
    response = client.get(ATOM)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    assert feed.findtext("atom:title", namespaces=ATOM_NS)
    assert feed.findtext("atom:subtitle", namespaces=ATOM_NS)
    self_link = feed.find("atom:link[@rel='self']", ATOM_NS)
    assert self_link.get("href") == "http://testserver/actualites/flux.atom"
    entries = feed.findall("atom:entry", ATOM_NS)
    assert [entry.findtext("atom:title", namespaces=ATOM_NS) for entry in entries] == [
        "Nouvelle session du cours",
        "Les rapports régionaux",
    ]
    newest = entries[0]
    assert (
        newest.find("atom:link", ATOM_NS).get("href")
        == "http://testserver/actualites/nouvelle-session/"
    )
    assert newest.findtext("atom:summary", namespaces=ATOM_NS) == (
        "Quatre semaines, un épisode par semaine."
    )
    assert datetime.fromisoformat(newest.findtext("atom:published", namespaces=ATOM_NS)) == MOMENT
    assert newest.find("atom:category", ATOM_NS).get("term")
    assert newest.find("atom:link[@rel='enclosure']", ATOM_NS) is None
    assert "Brouillon secret" not in response.content.decode()


def test_feeds_keep_one_category(client, articles):
    rss = parse(client.get(RSS, {"categorie": "etudes"})).find("channel")
    assert [item.findtext("title") for item in rss.findall("item")] == ["Les rapports régionaux"]
    assert rss.findtext("link") == "http://testserver/actualites/?categorie=etudes"
    atom = parse(client.get(ATOM, {"categorie": "formation"}))
    titles = [
        e.findtext("atom:title", namespaces=ATOM_NS) for e in atom.findall("atom:entry", ATOM_NS)
    ]
    assert titles == ["Nouvelle session du cours"]
    assert (
        atom.find("atom:link[@rel='self']", ATOM_NS).get("href")
        == "http://testserver/actualites/flux.atom?categorie=formation"
    )


def test_feeds_refuse_an_unknown_category(client, articles):
    assert client.get(RSS, {"categorie": "inconnue"}).status_code == 404
    assert client.get(ATOM, {"categorie": "inconnue"}).status_code == 404


def test_feeds_hold_the_twenty_latest_articles(client):
    for day in range(25):
        ArticleFactory(published_at=MOMENT - timedelta(days=day))
    assert len(parse(client.get(RSS)).find("channel").findall("item")) == 20


def test_feeds_are_valid_when_empty(client):
    assert parse(client.get(RSS)).find("channel").findall("item") == []
    assert parse(client.get(ATOM)).findall("atom:entry", ATOM_NS) == []
