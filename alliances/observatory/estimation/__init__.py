"""Survey estimation engine: design-based estimates as R's ``survey`` package computes them.

Pure Python/NumPy (no Django import anywhere in this package).  Everything is reproduced
to 1e-9 against R ``survey`` 4.1 (see ``docs/decisions/0002-survey-estimation-engine.md``).

Public API (all arguments keyword-only after the first one or two)::

    from alliances.observatory import estimation as est

    design = est.SurveyDesign(weights=w, strata=region, psu=None, nest=False)
    rows = est.estimate(
        design, data,                       # data: Mapping[str, np.ndarray], one array per column
        means=("score_emploi",),
        proportions=(("impact_emploi", (3, 4)),),   # share of the set of values {3, 4}
        totals=("n_salaries",),
        ratios=(("depenses", "n_salaries"),),
        by=("region",),                     # domain columns (crossed); () = whole sample only
        overall=True,                       # with ``by``, also report the whole sample first
        level=0.95,
    )                                       # -> list[Estimate]
    rankings = est.rank_ties(design, data, items=("score_emploi", "score_securite"),
                             by=("region",), alpha=0.05)   # -> list[DomainRanking]
    contrasts = est.contrast_with_rest(design, data, items=("score_emploi",), by="region",
                                       values=None, alpha=0.05)  # -> list[DomainContrast]
    result = est.rake(data, weights=w, margins=[
        est.Margin(variables=("region",), targets={("11",): 0.19, ...}),   # shares or totals
        est.Margin(variables=("sexe", "age"), targets={("F", "18-24"): 1.2e6, ...}),
    ], tolerance=1e-10, max_iter=100, bounds=None, population=None)  # -> RakeResult
    calibrated = est.calibrated_design(design, result)   # estimates then use calibrated SEs

Conventions (R equivalents in brackets):

* ``SurveyDesign``: weights (>= 0, finite), optional strata, optional PSUs (clusters).  Without
  PSUs each respondent is its own PSU [``svydesign(ids=~1)``].  ``nest=False`` (R's default)
  refuses PSU ids that repeat across strata; ``nest=True`` makes PSUs unique within strata.
* Variance: Taylor linearisation, with-replacement (ultimate cluster) approximation, no fpc;
  a stratum with a single PSU is handled as ``options(survey.lonely.psu = "adjust")``.
* Domains never drop rows from the design: PSU counts per stratum come from the whole design
  [``svyby``].  Rows whose ``by`` value is missing belong to no domain.  An item's missing
  values (NaN) are excluded from that item's estimates only [``svymean(..., na.rm=TRUE)``].
* ``Estimate.df`` is ``degf()`` of the design subset to the domain (rows of the domain with a
  non-zero weight, whatever the item's missing values): #PSUs - #strata.
* Intervals: means, totals, ratios ``estimate +/- qt(1 - (1-level)/2, df) * se``; proportions
  the logit interval of ``svyciprop(method="logit")``.
* ``n``: respondents of the domain with a non-missing value and a non-zero weight;
  ``weighted_n``: their weight total; ``deff``: R's ``deff="replace"`` (SRS with replacement);
  ``effective_n``: Kish's (sum w)^2 / sum w^2.
* Ties: in each domain, items ranked by estimate (descending); the difference top - item is a
  paired contrast on the rows where both are observed [``svycontrast(svymean(~top+item))``],
  p from t(df of the domain), Holm-adjusted over the comparisons [``p.adjust("holm")``];
  ``tied_with_top`` when ``p_holm >= alpha``; the top item has ``p_holm = None``.
* Raking: iterative proportional fitting as R's ``rake()``; targets are population totals, or
  shares when a margin's targets sum to 1 (scaled by ``population`` when given, else by the
  total of the margins given as totals, else by the sum of the input weights).  A calibrated
  design uses R's raking residuals in the variance.

Errors: ``EstimationError`` (bad arguments), ``DesignError``, ``RakingError`` and
``SurveyDataError`` (files: carries ``file``, ``row``, ``column``, ``value``, ``expected`` and an
English ``message`` so callers can render their own translation).
"""

from alliances.observatory.estimation.contrasts import DomainContrast, contrast_with_rest
from alliances.observatory.estimation.design import Calibration, SurveyDesign
from alliances.observatory.estimation.errors import (
    DesignError,
    EstimationError,
    RakingError,
    SurveyDataError,
)
from alliances.observatory.estimation.estimators import Estimate, estimate
from alliances.observatory.estimation.margins import read_margins
from alliances.observatory.estimation.raking import Margin, RakeResult, calibrated_design, rake
from alliances.observatory.estimation.readers import SurveyTable, read_survey
from alliances.observatory.estimation.ties import DomainRanking, RankedItem, rank_ties

__all__ = [
    "Calibration",
    "DesignError",
    "DomainContrast",
    "DomainRanking",
    "Estimate",
    "EstimationError",
    "Margin",
    "RakeResult",
    "RakingError",
    "RankedItem",
    "SurveyDataError",
    "SurveyDesign",
    "SurveyTable",
    "calibrated_design",
    "contrast_with_rest",
    "estimate",
    "rake",
    "rank_ties",
    "read_margins",
    "read_survey",
]
