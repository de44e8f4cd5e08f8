"""The generated text of a report: priorities, ties, cross-view gaps, regional specificities.

Sentences are built from translatable templates (English source, French by the catalogue)
filled with phrases that carry their article in the target language (« l’emploi », « la
sécurité »): French grammar lives in the catalogue, not in code. Lists read « a, b et c »,
plurals go through `ngettext`, numbers through `formatting`. The text states only what the
engine tested (ties, significant differences); about a suppressed cell it says only that it
is not shown. Every function returns plain text: templates escape it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from alliances.observatory.publishing import formatting
from alliances.observatory.publishing import plan as plans
from alliances.observatory.publishing.selectors import indicator_label

if TYPE_CHECKING:
    from alliances.observatory.models import Indicator, PopulationGap
    from alliances.observatory.publishing.selectors import (
        CrossViewRow,
        PopulationSection,
        TerritoryReport,
    )

FOLLOWERS = 2  # how many domains after the leading group the text names


def join(items: Sequence[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def domain_phrase(domain: str, label: str) -> str:
    """A domain as the text names it, with its article in French (« l’emploi »)."""
    phrases = {
        "emploi": pgettext("fragility domain in a sentence", "employment"),
        "pouvoir_achat": pgettext("fragility domain in a sentence", "purchasing power"),
        "developpement_economique": pgettext(
            "fragility domain in a sentence", "the economic development of the territory"
        ),
        "securite": pgettext("fragility domain in a sentence", "security"),
        "environnement": pgettext("fragility domain in a sentence", "the environment"),
        "exclusion": pgettext("fragility domain in a sentence", "exclusion"),
        "education": pgettext("fragility domain in a sentence", "education"),
        "sante": pgettext("fragility domain in a sentence", "health"),
        "logement": pgettext("fragility domain in a sentence", "housing"),
    }
    if domain in phrases:
        return phrases[domain]
    return _("“%(label)s”") % {"label": label}


def _cell_phrase(cell: Indicator) -> str:
    return domain_phrase(cell.domain, indicator_label(cell))


def population_phrase(kind: str, name: str) -> str:
    """A population as the subject of a sentence (« les citoyens »)."""
    phrases = {
        "citizens": pgettext("population in a sentence", "citizens"),
        "companies": pgettext("population in a sentence", "companies"),
        "associations": pgettext("population in a sentence", "associations"),
    }
    return phrases.get(kind, name)


def _section_phrase(section: PopulationSection) -> str:
    return population_phrase(section.kind, section.name)


def _sentence(text: str) -> str:
    return formatting.typography(capfirst(text) or "")


# --------------------------------------------------------------------------- priorities


def priorities_sentences(section: PopulationSection) -> list[str]:
    """What comes first for one population, with the domains tied with it."""
    population = _section_phrase(section)
    shown = [cell for cell in section.fragility if cell.estimate is not None]
    hidden = len(section.fragility) - len(shown)
    if not section.fragility:
        return []
    if not shown:
        return [
            _sentence(
                _("Among %(population)s, the base is too small: the scores are not shown.")
                % {"population": population}
            )
        ]
    first = shown[0]
    assert first.estimate is not None  # noqa: S101 - shown cells have a value
    values = {
        "population": population,
        "first": _cell_phrase(first),
        "score": _("%(score)s out of 10") % {"score": formatting.score(first.estimate)},
    }
    sentences = []
    if first.rank != 1:
        # The leading domain is not shown: say nothing about it, nor about ties with it.
        sentences.append(
            _(
                "Among %(population)s, of the domains shown, %(first)s has the highest "
                "score (%(score)s)."
            )
            % values
        )
        leading = [first]
    else:
        tied = [cell for cell in shown[1:] if cell.tied_with_top]
        leading = [first, *tied]
        if tied:
            values["others"] = join([_cell_phrase(cell) for cell in tied])
            sentences.append(
                _(
                    "Among %(population)s, %(first)s comes first (%(score)s), statistically "
                    "tied with %(others)s."
                )
                % values
            )
        elif len(shown) == 1:
            sentences.append(_("Among %(population)s, %(first)s scores %(score)s.") % values)
        else:
            others = len(shown) - 1
            values["count"] = str(others)
            sentences.append(
                ngettext(
                    "Among %(population)s, %(first)s comes first (%(score)s), significantly "
                    "ahead of the other domain.",
                    "Among %(population)s, %(first)s comes first (%(score)s), significantly "
                    "ahead of the %(count)s other domains.",
                    others,
                )
                % values
            )
    followers = [cell for cell in shown if cell not in leading][:FOLLOWERS]
    if followers:
        items = [
            f"{_cell_phrase(cell)} ({formatting.score(cell.estimate)})"
            for cell in followers
            if cell.estimate is not None
        ]
        sentences.append(
            ngettext("Next comes %(items)s.", "Next come %(items)s.", len(items))
            % {"items": join(items)}
        )
    if hidden:
        sentences.append(
            ngettext(
                "%(count)s domain whose base is too small is not shown.",
                "%(count)s domains whose base is too small are not shown.",
                hidden,
            )
            % {"count": hidden}
        )
    return [_sentence(sentence) for sentence in sentences]


# --------------------------------------------------------------------------- regional specificities


def specificity_text(cell: Indicator) -> str:
    """« plus élevé que dans le reste de la France : 7,4 contre 6,8 »."""
    if cell.estimate is None or cell.rest_estimate is None or cell.rest_difference is None:
        return ""
    values = {
        "region": formatting.statistic_value(cell.estimate, cell.statistic),
        "rest": formatting.statistic_value(cell.rest_estimate, cell.statistic),
    }
    higher = cell.rest_difference > 0
    if cell.statistic == formatting.SHARE:
        text = (
            pgettext("a share", "higher than in the rest of France: %(region)s vs %(rest)s")
            if higher
            else pgettext("a share", "lower than in the rest of France: %(region)s vs %(rest)s")
        )
    else:
        text = (
            pgettext("a score", "higher than in the rest of France: %(region)s vs %(rest)s")
            if higher
            else pgettext("a score", "lower than in the rest of France: %(region)s vs %(rest)s")
        )
    return formatting.typography(text % values)


def _compared(cell: Indicator) -> str:
    assert cell.estimate is not None  # noqa: S101 - specific cells have a value
    assert cell.rest_estimate is not None  # noqa: S101
    return _("%(item)s (%(region)s vs %(rest)s)") % {
        "item": _cell_phrase(cell),
        "region": formatting.statistic_value(cell.estimate, cell.statistic),
        "rest": formatting.statistic_value(cell.rest_estimate, cell.statistic),
    }


def _split(cells: list[Indicator]) -> tuple[list[str], list[str]]:
    higher = [_compared(c) for c in cells if (c.rest_difference or 0) > 0]
    lower = [_compared(c) for c in cells if (c.rest_difference or 0) < 0]
    return higher, lower


def specificities_sentences(section: PopulationSection) -> list[str]:
    """The significant differences of one population between the region and the rest."""
    population = _section_phrase(section)
    sentences = []
    scores = [c for c in section.fragility if c.specific]
    higher, lower = _split(scores)
    if higher and lower:
        sentences.append(
            _(
                "Among %(population)s, scores are higher than in the rest of France for "
                "%(higher)s, and lower for %(lower)s."
            )
            % {"population": population, "higher": join(higher), "lower": join(lower)}
        )
    elif higher:
        sentences.append(
            _("Among %(population)s, scores are higher than in the rest of France for %(items)s.")
            % {"population": population, "items": join(higher)}
        )
    elif lower:
        sentences.append(
            _("Among %(population)s, scores are lower than in the rest of France for %(items)s.")
            % {"population": population, "items": join(lower)}
        )
    impact = [c for c in section.impact if c.specific]
    higher, lower = _split(impact)
    if higher:
        sentences.append(
            _(
                "Among %(population)s, the share expecting a strong impact of partnerships is "
                "higher than in the rest of France for %(items)s."
            )
            % {"population": population, "items": join(higher)}
        )
    if lower:
        sentences.append(
            _(
                "Among %(population)s, the share expecting a strong impact of partnerships is "
                "lower than in the rest of France for %(items)s."
            )
            % {"population": population, "items": join(lower)}
        )
    others = [
        c
        for c in (section.innovation, section.engagement, *section.practice)
        if c is not None and c.specific
    ]
    for cell in others:
        sentences.append(  # noqa: PERF401 - one sentence per cell reads better as a loop
            _("Among %(population)s, the share for “%(label)s” is %(comparison)s.")
            % {
                "population": population,
                "label": indicator_label(cell),
                "comparison": specificity_text(cell),
            }
        )
    return [_sentence(sentence) for sentence in sentences]


# --------------------------------------------------------------------------- cross-view


def gap_sentence(
    row: CrossViewRow, gap: PopulationGap, sections: dict[str, PopulationSection]
) -> str:
    """« les entreprises jugent l’emploi plus fragile que les citoyens (+0,8 point) »."""
    first, second = sections.get(gap.population_a), sections.get(gap.population_b)
    if first is None or second is None:
        return ""
    difference = gap.difference
    if difference < 0:
        first, second, difference = second, first, -difference
    statistic = formatting.SHARE if row.family == plans.IMPACT else formatting.MEAN
    points = ngettext(
        "%(value)s point", "%(value)s points", formatting.difference_count(difference, statistic)
    ) % {"value": formatting.difference_points(difference, statistic)}
    values = {
        "first": _section_phrase(first),
        "second": _section_phrase(second),
        "domain": domain_phrase(row.domain, row.label),
        "difference": points,
    }
    if row.family == plans.IMPACT:
        text = (
            _(
                "%(first)s expect a strong impact of partnerships on %(domain)s more often "
                "than %(second)s (%(difference)s)"
            )
            % values
        )
    else:
        text = (
            _("%(first)s rate %(domain)s as more fragile than %(second)s (%(difference)s)") % values
        )
    return formatting.typography(capfirst(text) or "")


def agreement_phrases(rows: Sequence[CrossViewRow]) -> list[str]:
    """The domains on which the populations shown do not differ significantly."""
    return [domain_phrase(row.domain, row.label) for row in rows if row.agree]


# --------------------------------------------------------------------------- the whole text


def report_paragraphs(report: TerritoryReport) -> list[str]:
    """The report's short text, as paragraphs.

    The priorities of each population, then (regions only) what differs significantly
    from the rest of France.
    """
    paragraphs = []
    priorities = [s for section in report.populations for s in priorities_sentences(section)]
    if priorities:
        paragraphs.append(" ".join(priorities))
    if report.territory.is_france:
        return paragraphs
    specific = [s for section in report.populations for s in specificities_sentences(section)]
    compared = any(
        cell.estimate is not None
        for section in report.populations
        for cell in (*section.fragility, *section.impact, section.innovation, section.engagement)
        if cell is not None
    )
    if specific:
        paragraphs.append(" ".join(specific))
    elif compared:  # a region whose cells are all suppressed is compared with nothing
        paragraphs.append(
            _sentence(_("No statistically significant difference with the rest of France."))
        )
    return paragraphs
