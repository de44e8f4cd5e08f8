"""Numbers, shares, intervals and dates of the reports, the way the active language writes them.

French is the reports' language: « 7,1 », « 49 % », « [6,9 ; 7,3] », « +0,8 », « −0,4 »,
« 1er septembre 2015 », « 12 117 000 ». Django's localisation gives the decimal comma and
the grouping; this module adds what it does not know: the no-break spaces of French
typography (U+00A0 before « : » and « % », inside « », U+202F before « ; ! ? »), the true
minus sign and the « 1er » of the first day of a month.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from django.utils import formats, translation

NBSP: Final = "\u00a0"  # no-break space: before « : » and « % », inside guillemets
NNBSP: Final = "\u202f"  # narrow no-break space: before « ; », « ! », « ? »
MINUS: Final = "\u2212"

MEAN: Final = "mean"
SHARE: Final = "share"

_BEFORE_NARROW = re.compile(r"[ \u00a0\u202f]*([;!?])(?=\s|$|[)»\]])")
_BEFORE_WIDE = re.compile(r"(?<=\S)[ \u00a0\u202f]*(:)(?=\s|$)")
_OPENING = re.compile(r"«[ \u00a0\u202f]*")
_CLOSING = re.compile(r"[ \u00a0\u202f]*»")


def is_french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


def in_language(french: str, english: str) -> str:
    """The text of the current language (stored labels and notices carry both)."""
    return french if is_french() else english


def rounded(value: float, places: int) -> Decimal:
    """`value` rounded half away from zero (Django's `number_format` truncates: 6,95 → 6,9)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal(value: float, places: int = 1) -> str:
    """`value` rounded to `places` decimals, localised: « 7,1 », « 12 117 000 »."""
    number = rounded(value, places)
    if number == 0:
        number = abs(number)  # no « −0,0 »
    text = formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    return text.replace("-", MINUS)


def score(value: float) -> str:
    """A 0–10 score: one decimal."""
    return decimal(value, 1)


def percent_number(share: float) -> str:
    """A share (0–1) as a whole number of percent, without the sign: « 49 »."""
    return decimal(share * 100, 0)


def percent(share: float) -> str:
    """A share (0–1) as a percentage: « 49 % » in French, « 49% » in English."""
    return percent_number(share) + (f"{NBSP}%" if is_french() else "%")


def level(value: float) -> str:
    """A confidence level or threshold given as a fraction: 0.95 → « 95 % »."""
    return percent(value)


def statistic_value(value: float, statistic: str) -> str:
    """A score or a share, each in its own format."""
    return percent(value) if statistic == SHARE else score(value)


def interval(low: float, high: float, statistic: str) -> str:
    """A confidence interval: « [6,9 ; 7,3] » in French, « [6.9, 7.3] » in English."""
    first = statistic_value(low, statistic)
    second = statistic_value(high, statistic)
    if is_french():
        return f"[{first}{NNBSP}; {second}]"
    return f"[{first}, {second}]"


def signed(value: float, places: int) -> str:
    """A difference with its sign: « +0,8 », « −0,4 » (true minus), « 0,0 »."""
    text = decimal(abs(value), places)
    if rounded(value, places) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def _points(value: float, statistic: str) -> tuple[float, int]:
    if statistic == SHARE:
        points = value * 100
        return points, 0 if abs(points) >= 0.5 else 1  # noqa: PLR2004 - rounds to zero below
    return value, 1


def difference_points(value: float, statistic: str) -> str:
    """A gap between two estimates, in points.

    One decimal for scores, whole percentage points for shares (one decimal when that
    would round to zero).
    """
    points, places = _points(value, statistic)
    return signed(points, places)


def difference_count(value: float, statistic: str) -> int:
    """The `ngettext` count of « point(s) » after `difference_points` (as displayed)."""
    points, places = _points(value, statistic)
    return plural_count(float(rounded(points, places)))


def plural_count(value: float) -> int:
    """The count to give `ngettext` for a decimal quantity such as « 0,8 point ».

    French puts a noun after a decimal below 2 in the singular (« 1,5 point »), English only
    after exactly 1 (« 1.5 points »): 1 for exactly one, 0 below two, the whole part above.
    """
    magnitude = abs(value)
    if math.isclose(magnitude, 1.0):
        return 1
    if magnitude < 2:  # noqa: PLR2004 - the French plural starts at 2
        return 0
    return math.floor(magnitude)


def typography(text: str) -> str:
    """French spacing in a text written with ordinary spaces (labels, notes, sentences).

    No-break space before « : » and inside « », narrow no-break space before « ; ! ? »;
    nothing changes in another language, nor in a URL (« https:// » has no space before).
    """
    if not is_french() or not text:
        return text
    text = _BEFORE_NARROW.sub(lambda match: NNBSP + match.group(1), text)
    text = _BEFORE_WIDE.sub(lambda match: NBSP + match.group(1), text)
    text = _OPENING.sub("«" + NBSP, text)
    return _CLOSING.sub(NBSP + "»", text)
