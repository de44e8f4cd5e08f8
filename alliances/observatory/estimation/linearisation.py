"""Taylor-linearised variances, as R's ``svyrecvar`` computes them.

Scores are row-level linearised values already divided by the domain's denominator, zero
outside the row's own domain.  PSU totals are centred within strata, scaled by
``n_h / (n_h - 1)`` (with-replacement approximation) and summed.  A stratum holding a single
PSU in the whole design is not centred (``survey.lonely.psu = "adjust"``).  PSU counts always
come from the whole design, so domain estimation keeps the design (R's ``svyby``).

For a calibrated (raked) design the scores are first replaced by their raking residuals, as
R does for a ``rake()``d design: 10 passes over the margins of
``x <- x - w_m * ave(x / w_m, cell_m)``.  The passes are run on the (small) cell coefficients
instead of the rows, which is exactly the same linear map.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from alliances.observatory.estimation.categories import FloatArray, IntArray, combine
from alliances.observatory.estimation.design import RESIDUAL_PASSES, Calibration, SurveyDesign


def group_sum(index: IntArray, values: FloatArray, size: int) -> FloatArray:
    """Sum the rows of ``values`` (m x k) by ``index`` (0 <= index < size) -> (size x k)."""
    m = index.shape[0]
    if values.ndim == 1:
        return np.asarray(np.bincount(index, weights=values, minlength=size), dtype=np.float64)
    if values.shape[1] <= 2:  # noqa: PLR2004 - bincount beats a sparse product for thin blocks
        out = np.empty((size, values.shape[1]))
        for col in range(values.shape[1]):
            out[:, col] = np.bincount(index, weights=values[:, col], minlength=size)
        return out
    matrix = sp.csc_matrix(
        (np.ones(m), index, np.arange(m + 1)),
        shape=(size, m),
    )
    return np.asarray(matrix @ values)


def _stratum_factors(design: SurveyDesign) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Scale n_h/(n_h-1) per stratum and whether the stratum is centred (n_h > 1)."""
    n_h = design.psus_in_stratum.astype(np.float64)
    centred = design.psus_in_stratum > 1
    scale = np.where(centred, n_h / np.where(centred, n_h - 1.0, 1.0), 1.0)
    return scale, centred


def domain_variances(
    design: SurveyDesign, domain: IntArray, n_domains: int, scores: FloatArray
) -> FloatArray:
    """Variance of each score column in each domain -> (n_domains x k)."""
    if design.calibration is not None:
        return _calibrated_variances(design, design.calibration, domain, n_domains, scores)
    rows = np.flatnonzero(domain >= 0)
    if design.clustered:
        group, first = combine([domain[rows], design.psu_index[rows]], [n_domains, design.n_psus])
        n_groups = first.size
        totals = group_sum(group, scores[rows], n_groups)
        group_domain = domain[rows[first]]
        group_psu = design.psu_index[rows[first]]
    else:
        totals = scores[rows]
        group_domain = domain[rows]
        group_psu = rows
    return _sparse_stratified_ss(design, totals, group_domain, group_psu, n_domains)


def _sparse_stratified_ss(
    design: SurveyDesign,
    totals: FloatArray,
    group_domain: IntArray,
    group_psu: IntArray,
    n_domains: int,
) -> FloatArray:
    """Sum over strata of scaled squared deviations, PSUs absent from a domain counting 0."""
    scale, centred = _stratum_factors(design)
    n_strata = design.n_strata
    group_stratum = design.psu_stratum[group_psu]
    cell = group_domain * n_strata + group_stratum
    n_cells = n_domains * n_strata
    cell_sum = group_sum(cell, totals, n_cells)
    cell_groups = np.bincount(cell, minlength=n_cells).astype(np.float64)
    n_h = np.tile(design.psus_in_stratum.astype(np.float64), n_domains)
    centred_cell = np.tile(centred, n_domains)
    mean = np.where(centred_cell[:, None], cell_sum / n_h[:, None], 0.0)
    deviation = totals - mean[cell]
    scale_group = scale[group_stratum]
    out = group_sum(group_domain, deviation * deviation * scale_group[:, None], n_domains)
    absent = (n_h - cell_groups) * np.tile(scale, n_domains)
    absent_ss = group_sum(
        np.repeat(np.arange(n_domains), n_strata), mean * mean * absent[:, None], n_domains
    )
    return np.asarray(out + absent_ss)


def _dense_stratified_ss(design: SurveyDesign, totals: FloatArray) -> FloatArray:
    """Same as above for PSU totals given for every PSU of the design (n_psus x k) -> (k,)."""
    scale, centred = _stratum_factors(design)
    stratum_sum = group_sum(design.psu_stratum, totals, design.n_strata)
    n_h = design.psus_in_stratum.astype(np.float64)
    mean = np.where(centred[:, None], stratum_sum / np.maximum(n_h, 1.0)[:, None], 0.0)
    deviation = totals - mean[design.psu_stratum]
    return np.asarray(np.einsum("ik,ik,i->k", deviation, deviation, scale[design.psu_stratum]))


def _calibrated_variances(
    design: SurveyDesign,
    calibration: Calibration,
    domain: IntArray,
    n_domains: int,
    scores: FloatArray,
) -> FloatArray:
    k = scores.shape[1]
    rows = np.flatnonzero(domain >= 0)
    row_domain = domain[rows]
    margins = range(len(calibration.cells))
    # a[m]: per domain and cell of margin m, sum of the scores divided by the step weights
    first_sums = []
    for m in margins:
        cells = calibration.cells[m]
        n_cells = calibration.cell_counts[m]
        key = row_domain * n_cells + cells[rows]
        ratio = scores[rows] / calibration.step_weights[m][rows, None]
        first_sums.append(group_sum(key, ratio, n_domains * n_cells).reshape(n_domains, n_cells, k))
    cross = _cross_products(calibration)
    counts = [
        np.bincount(cells, minlength=size).astype(np.float64)
        for cells, size in zip(calibration.cells, calibration.cell_counts, strict=True)
    ]
    coefficients = [np.zeros_like(a) for a in first_sums]
    for _ in range(RESIDUAL_PASSES):
        for m in margins:
            current = first_sums[m].copy()
            for other in margins:
                current -= np.einsum("cq,dqk->dck", cross[m][other], coefficients[other])
            coefficients[m] += current / counts[m][None, :, None]
    loadings = _psu_loadings(design, calibration)
    stacked = np.concatenate(coefficients, axis=1)  # (domains x all cells x k)
    order = np.argsort(row_domain, kind="stable")
    bounds = np.searchsorted(row_domain[order], np.arange(n_domains + 1))
    out = np.empty((n_domains, k))
    for d in range(n_domains):
        members = rows[order[bounds[d] : bounds[d + 1]]]
        totals = group_sum(design.psu_index[members], scores[members], design.n_psus)
        totals -= loadings @ stacked[d]
        out[d] = _dense_stratified_ss(design, totals)
    return out


def _cross_products(calibration: Calibration) -> list[list[FloatArray]]:
    """K[m][o][c, q] = sum over rows in cell c of margin m and q of margin o of w_o / w_m."""
    margins = range(len(calibration.cells))
    out: list[list[FloatArray]] = []
    for m in margins:
        row: list[FloatArray] = []
        size_m = calibration.cell_counts[m]
        for o in margins:
            size_o = calibration.cell_counts[o]
            key = calibration.cells[m] * size_o + calibration.cells[o]
            ratio = calibration.step_weights[o] / calibration.step_weights[m]
            row.append(
                np.asarray(
                    np.bincount(key, weights=ratio, minlength=size_m * size_o), dtype=np.float64
                ).reshape(size_m, size_o)
            )
        out.append(row)
    return out


def _psu_loadings(design: SurveyDesign, calibration: Calibration) -> sp.csr_matrix:
    """P[i, cell] = sum over rows of PSU i in that cell of the margin's step weights."""
    n = design.n
    offsets = np.concatenate([[0], np.cumsum(calibration.cell_counts)])
    row_index = np.concatenate([design.psu_index] * len(calibration.cells))
    col_index = np.concatenate([cells + offsets[m] for m, cells in enumerate(calibration.cells)])
    values = np.concatenate(calibration.step_weights)
    del n
    matrix = sp.coo_matrix(
        (values, (row_index, col_index)), shape=(design.n_psus, int(offsets[-1]))
    )
    return matrix.tocsr()
