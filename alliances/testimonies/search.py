"""French full-text search over testimonies, on PostgreSQL and on SQLite.

Both backends read the same normalised words: lower case, accents removed, French stop words
dropped and the plural `s`/`x` folded (`normalised_words`), because the Snowball French stemmer
keeps `emplois` apart from `emploi`. From there:

- PostgreSQL stems them itself: `search_document` holds the normalised words and the query is
  `to_tsvector('french', search_document) @@ websearch_to_tsquery('french', words)`, ranked by
  `ts_rank`, served by a GIN expression index (migration 0002, PostgreSQL only).
- SQLite has no French stemmer, so `search_stems` holds the words' Snowball stems, each between
  bars (`|emploi||jardin|`); every stem of the query must be there, and results are ranked by
  how often they occur.

`testimony_index` fills both columns; the services call it whenever a text changes. The
reasons are in docs/decisions/0009-french-full-text-search.md.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, reduce
from operator import add
from typing import TYPE_CHECKING, Final

import snowballstemmer
from django.db import connection
from django.db.models import F, FloatField, IntegerField, Value
from django.db.models.functions import Cast, Length, Replace

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import Expression, QuerySet

    from alliances.testimonies.models import Testimony

# French function words (unaccented), dropped from documents and queries alike so a query is
# not required to contain the same articles as the text: PostgreSQL's `french.stop` list
# (Snowball's), unaccented, plus a few demonstratives and conjunctions.
STOP_WORDS: Final = frozenset(
    {
        "a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai", "auraient",
        "aurais", "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux",
        "avaient", "avais", "avait", "avec", "avez", "aviez", "avions", "avons", "ayant",
        "ayante", "ayantes", "ayants", "ayez", "ayons", "c", "ca", "ce", "ceci", "cela", "celle",
        "celles", "celui", "ces", "cet", "cette", "ceux", "d", "dans", "de", "des", "du", "elle",
        "elles", "en", "es", "est", "et", "etaient", "etais", "etait", "etant", "etante",
        "etantes", "etants", "ete", "etee", "etees", "etes", "etiez", "etions", "eu", "eue",
        "eues", "eumes", "eurent", "eus", "eusse", "eussent", "eusses", "eussiez", "eussions",
        "eut", "eutes", "eux", "fumes", "furent", "fus", "fusse", "fussent", "fusses", "fussiez",
        "fussions", "fut", "futes", "ici", "il", "ils", "j", "je", "l", "la", "le", "les",
        "leur", "leurs", "lui", "m", "ma", "mais", "me", "meme", "mes", "moi", "mon", "n", "ne",
        "ni", "nos", "notre", "nous", "on", "ont", "or", "ou", "par", "pas", "pour", "qu", "que",
        "quel", "quelle", "quelles", "quels", "qui", "s", "sa", "sans", "se", "sera", "serai",
        "seraient", "serais", "serait", "seras", "serez", "seriez", "serions", "serons",
        "seront", "ses", "si", "soient", "sois", "soit", "sommes", "son", "sont", "soyez",
        "soyons", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
        "votre", "vous", "y",
    }
)  # fmt: skip

WORD: Final = re.compile(r"[a-z0-9]+")
LIGATURES: Final = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
STEM_SEPARATOR: Final = "|"


def unaccented(text: str) -> str:
    """The text in lower case without diacritics: « Éducation » → « education »."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def plural_folded(word: str) -> str:
    """The word without a final plural mark: emplois → emploi, bureaux → bureau.

    Short words are kept, and so is a word whose singular would be a stop word (« mois » is
    not « moi »), so that PostgreSQL, which drops stop words, sees the same words.
    """
    if len(word) > 3 and word[-1] in "sx" and word[-2] not in "sx":  # noqa: PLR2004 - short words
        singular = word[:-1]
        return word if singular in STOP_WORDS else singular
    return word


def normalised_words(text: str) -> list[str]:
    """The searchable words of a text, in order: unaccented, without stop words, singular."""
    return [
        plural_folded(word) for word in WORD.findall(unaccented(text)) if word not in STOP_WORDS
    ]


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("french")


def stems(words: Iterable[str]) -> list[str]:
    return list(_stemmer().stemWords(list(words)))


def testimony_texts(testimony: Testimony) -> list[str]:
    """Every text a search should reach: title, summary, story, lists, quotes, names."""
    texts = [
        testimony.title,
        testimony.summary,
        testimony.story,
        testimony.success_factors,
        testimony.difficult_moments,
        testimony.association_name,
        testimony.company_name,
    ]
    for quote in testimony.quotes.all():
        texts.extend((quote.text, quote.speaker_role, quote.speaker_organization))
    return texts


def testimony_index(testimony: Testimony) -> None:
    """Recompute and save both search columns from the testimony's current texts and quotes."""
    words = normalised_words("\n".join(testimony_texts(testimony)))
    testimony.search_document = " ".join(words)
    testimony.search_stems = "".join(
        f"{STEM_SEPARATOR}{stem}{STEM_SEPARATOR}" for stem in stems(words)
    )
    type(testimony).objects.filter(pk=testimony.pk).update(
        search_document=testimony.search_document, search_stems=testimony.search_stems
    )


def testimony_search(queryset: QuerySet[Testimony], text: str) -> QuerySet[Testimony]:
    """The testimonies matching every word of `text`, best first (then most recent).

    A query without any searchable word (empty, or only stop words) filters nothing.
    """
    words = normalised_words(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, words)
    return _search_stems(queryset, words)


def _search_postgresql(queryset: QuerySet[Testimony], words: list[str]) -> QuerySet[Testimony]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # The same expression as the GIN index of migration 0002, so the planner can use it.
    vector = SearchVector("search_document", config="french")
    query = SearchQuery(" ".join(words), config="french", search_type="websearch")
    return (
        queryset.alias(search_vector=vector)
        .filter(search_vector=query)
        .annotate(search_rank=SearchRank(vector, query))
        .order_by("-search_rank", "-published_at", "-pk")
    )


def _search_stems(queryset: QuerySet[Testimony], words: list[str]) -> QuerySet[Testimony]:
    tokens = sorted({f"{STEM_SEPARATOR}{stem}{STEM_SEPARATOR}" for stem in stems(words)})
    for token in tokens:
        queryset = queryset.filter(search_stems__contains=token)
    occurrences: list[Expression] = [
        Cast(
            (Length("search_stems") - Length(Replace(F("search_stems"), Value(token), Value(""))))
            / Value(len(token)),
            IntegerField(),
        )
        for token in tokens
    ]
    rank = Cast(reduce(add, occurrences), FloatField())
    return queryset.annotate(search_rank=rank).order_by("-search_rank", "-published_at", "-pk")
