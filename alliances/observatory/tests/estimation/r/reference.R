# Golden values from R's survey package for the estimation engine's tests.
#
#   Rscript alliances/observatory/tests/estimation/r/reference.R [OUT_DIR]
#
# Reads golden/cases.json and golden/data/*.csv next to this script's parent folder and writes
# one <case>.json per case into OUT_DIR (default: the golden folder), full precision.
# Conventions mirrored from the Python engine (see its package docstring):
#   domain estimates:   design[domain & !is.na(item), ] (as svyby(..., na.rm = TRUE) does)
#   df:                 degf(design[domain, ])
#   proportions:        svyciprop(method = "logit", df = df), SE/deff from svymean
#   deff:               deff = "replace"
#   ties:               svycontrast(svymean(~top + item, design[domain & both observed, ]),
#                       c(1, -1)), 2 * pt(-|t|, df), p.adjust("holm"), tied if p_holm >= alpha
#   contrasts:          each domain of statistics$contrasts_by against the rest of the sample:
#                       svycontrast(svyby(~item, ~inside, design[!is.na(item), ], svymean,
#                       covmat = TRUE), c(-1, 1)), df = degf(design), 2 * pt(-|t|, df),
#                       p.adjust("holm") over the domain's items, significant if p_holm < alpha
#                       (svyby(..., na.rm = TRUE, covmat = TRUE) fails on a clustered design).
#                       svyby(covmat = TRUE) also fails on a calibrated design (survey 4.1: a
#                       calibrated subset keeps every row, so its influence functions no longer
#                       fit svyby's row index); there its covmat code is run by hand.  Every
#                       contrast is cross-checked against svyglm(item ~ inside).
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
options(survey.lonely.psu = "adjust", warn = 1)

args <- commandArgs(trailingOnly = FALSE)
script <- normalizePath(sub("^--file=", "", args[grep("^--file=", args)]))
golden <- file.path(dirname(dirname(script)), "golden")
trailing <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(trailing) >= 1) trailing[[1]] else golden
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

config <- fromJSON(file.path(golden, "cases.json"), simplifyVector = FALSE)
stats <- config$statistics
level <- config$level
alpha <- config$alpha
# numbers are written verbatim with 17 significant digits (jsonlite stops at 15)
full <- function(x) structure(sprintf("%.17g", as.numeric(x)), class = "json")
num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NA_real_ else full(x)

read_data <- function(file) {
  read.csv(file.path(golden, "data", file), stringsAsFactors = FALSE, encoding = "UTF-8",
           check.names = FALSE, na.strings = "")
}

make_design <- function(case, d) {
  ids <- if (is.null(case$psu)) ~1 else as.formula(paste0("~", case$psu))
  strata <- if (is.null(case$strata)) NULL else as.formula(paste0("~", case$strata))
  svydesign(ids = ids, strata = strata, weights = as.formula(paste0("~", case$weights)),
            data = d)
}

rake_design <- function(design, d, file) {
  m <- read.csv(file.path(golden, "data", file), stringsAsFactors = FALSE,
                colClasses = "character")
  m$target <- as.numeric(m$target)
  variables <- unique(m$variable)
  is_share <- sapply(variables, function(v) abs(sum(m$target[m$variable == v]) - 1) <= 1e-6)
  total <- if (any(!is_share)) sum(m$target[m$variable == variables[!is_share][1]]) else
    sum(weights(design))
  sample_margins <- list()
  population_margins <- list()
  for (v in variables) {
    rows <- m[m$variable == v, ]
    parts <- strsplit(v, "*", fixed = TRUE)[[1]]
    cats <- do.call(rbind, strsplit(rows$category, "*", fixed = TRUE))
    pop <- as.data.frame(cats, stringsAsFactors = FALSE)
    names(pop) <- parts
    for (p in parts) pop[[p]] <- if (is.numeric(d[[p]])) as.numeric(pop[[p]]) else pop[[p]]
    pop$Freq <- rows$target * (if (is_share[[v]]) total else 1)
    sample_margins[[length(sample_margins) + 1]] <- as.formula(paste0("~", paste(parts, collapse = "+")))
    population_margins[[length(population_margins) + 1]] <- pop
  }
  rake(design, sample_margins, population_margins,
       control = list(maxit = 2000, epsilon = 1e-15, verbose = FALSE))
}

domains_of <- function(d, by) {
  if (length(by) == 0) return(list(list(by = setNames(list(), character(0)), rows = rep(TRUE, nrow(d)))))
  key <- interaction(d[by], drop = TRUE, lex.order = TRUE)
  out <- list()
  for (lev in levels(key)) {
    rows <- !is.na(key) & key == lev
    first <- which(rows)[1]
    labels <- lapply(by, function(b) d[[b]][first])
    names(labels) <- by
    out[[length(out) + 1]] <- list(by = labels, rows = rows)
  }
  out
}

ci_t <- function(est, se, df) {
  q <- if (df > 0) qt(1 - (1 - level) / 2, df) else NaN
  c(est - q * se, est + q * se)
}

counts <- function(sub) {
  w <- weights(sub)
  w <- w[w != 0]
  list(n = length(w), weighted_n = sum(w), effective_n = sum(w)^2 / sum(w^2))
}

row_out <- function(dom, variable, statistic, lvl, est, se, ci, df, cnt, deff) {
  list(by = dom$by, variable = variable, statistic = statistic, level = lvl,
       estimate = num(est), se = num(se), ci_low = num(ci[1]), ci_high = num(ci[2]), df = df,
       n = cnt$n, weighted_n = num(cnt$weighted_n), deff = num(deff),
       effective_n = num(cnt$effective_n))
}

estimates_for <- function(design, d, dom) {
  df <- degf(design[dom$rows, ])
  out <- list()
  for (v in unlist(stats$means)) {
    sub <- design[dom$rows & !is.na(d[[v]]), ]
    m <- svymean(as.formula(paste0("~", v)), sub, deff = "replace", na.rm = TRUE)
    out[[length(out) + 1]] <- row_out(dom, v, "mean", NULL, coef(m), SE(m),
                                      ci_t(coef(m), SE(m), df), df, counts(sub), deff(m))
  }
  for (p in stats$proportions) {
    v <- p[[1]]
    values <- unlist(p[[2]])
    ind <- paste0(".ind_", v, "_", paste(values, collapse = "_"))
    sub <- design[dom$rows & !is.na(d[[v]]), ]
    m <- svymean(as.formula(paste0("~", ind)), sub, deff = "replace", na.rm = TRUE)
    ci <- tryCatch(
      as.numeric(attr(svyciprop(as.formula(paste0("~", ind)), sub, method = "logit",
                                level = level, df = df), "ci")),
      error = function(e) c(NA_real_, NA_real_))
    row <- row_out(dom, v, "proportion", values, coef(m), SE(m), ci, df, counts(sub), deff(m))
    # the same logit interval computed exactly (svyciprop's comes from an IRLS fit stopped at
    # glm's default tolerance, so it is only good to about 1e-9)
    p_hat <- as.numeric(coef(m))
    half <- (if (df > 0) qt(1 - (1 - level) / 2, df) else NaN) * as.numeric(SE(m)) / (p_hat * (1 - p_hat))
    row$ci_low_exact <- num(plogis(qlogis(p_hat) - half))
    row$ci_high_exact <- num(plogis(qlogis(p_hat) + half))
    out[[length(out) + 1]] <- row
  }
  for (v in unlist(stats$totals)) {
    sub <- design[dom$rows & !is.na(d[[v]]), ]
    m <- svytotal(as.formula(paste0("~", v)), sub, deff = "replace", na.rm = TRUE)
    out[[length(out) + 1]] <- row_out(dom, v, "total", NULL, coef(m), SE(m),
                                      ci_t(coef(m), SE(m), df), df, counts(sub), deff(m))
  }
  for (r in stats$ratios) {
    a <- r[[1]]
    b <- r[[2]]
    sub <- design[dom$rows & !is.na(d[[a]]) & !is.na(d[[b]]), ]
    m <- svyratio(as.formula(paste0("~", a)), as.formula(paste0("~", b)), sub, deff = "replace", na.rm = TRUE)
    est <- as.numeric(coef(m))
    se <- as.numeric(SE(m))
    out[[length(out) + 1]] <- row_out(dom, paste0(a, "/", b), "ratio", NULL, est, se,
                                      ci_t(est, se, df), df, counts(sub), attr(m, "deff"))
  }
  out
}

ranking_for <- function(design, d, dom, items) {
  df <- degf(design[dom$rows, ])
  est <- sapply(items, function(v) {
    sub <- design[dom$rows & !is.na(d[[v]]), ]
    coef(svymean(as.formula(paste0("~", v)), sub, na.rm = TRUE))[[1]]
  })
  ses <- sapply(items, function(v) {
    sub <- design[dom$rows & !is.na(d[[v]]), ]
    SE(svymean(as.formula(paste0("~", v)), sub, na.rm = TRUE))[[1]]
  })
  ord <- order(-est)
  top <- items[ord[1]]
  others <- items[ord[-1]]
  diffs <- c()
  dses <- c()
  for (v in others) {
    both <- dom$rows & !is.na(d[[top]]) & !is.na(d[[v]])
    m <- svymean(as.formula(paste0("~", top, "+", v)), design[both, ], na.rm = TRUE)
    cst <- svycontrast(m, c(1, -1))
    diffs <- c(diffs, coef(cst)[[1]])
    dses <- c(dses, SE(cst)[[1]])
  }
  p <- 2 * pt(-abs(diffs / dses), df)
  ph <- p.adjust(p, "holm")
  ranking <- list(list(variable = top, estimate = num(est[[ord[1]]]), se = num(ses[[ord[1]]]),
                       diff_to_top = NA, diff_se = NA, p = NA, p_holm = NA, tied_with_top = TRUE))
  for (i in seq_along(others)) {
    ranking[[i + 1]] <- list(variable = others[i], estimate = num(est[[ord[i + 1]]]),
                             se = num(ses[[ord[i + 1]]]), diff_to_top = num(diffs[i]),
                             diff_se = num(dses[i]), p = num(p[i]), p_holm = num(ph[i]),
                             tied_with_top = unname(ph[i] >= alpha))
  }
  list(by = dom$by, df = df, ranking = ranking)
}

# svyby(~v, ~.contrast_inside, sub, svymean, covmat = TRUE): the two domain means and their
# covariance from the influence functions; by hand for a calibrated design (see the header)
domain_means <- function(sub, v) {
  if (!survey:::is.calibrated(sub)) {
    return(svyby(as.formula(paste0("~", v)), ~.contrast_inside, sub, svymean, covmat = TRUE))
  }
  parts <- lapply(c(FALSE, TRUE), function(side) {
    svymean(as.formula(paste0("~", v)), sub[sub$variables$.contrast_inside == side, ],
            na.rm = TRUE, influence = TRUE)
  })
  means <- sapply(parts, coef)
  names(means) <- c("FALSE", "TRUE")
  influence <- do.call(cbind, lapply(parts, attr, "influence"))
  attr(means, "var") <- svyrecvar(influence, sub$cluster, sub$strata, sub$fpc,
                                  postStrata = sub$postStrata)
  attr(means, "statistic") <- "mean"
  class(means) <- "svystat"
  means
}

contrasts_for <- function(design, d, by, items, labels = items) {
  df <- degf(design)
  out <- list()
  for (dom in domains_of(d, by)) {
    marked <- update(design, .contrast_inside = factor(dom$rows, levels = c(FALSE, TRUE)))
    rows <- list()
    for (i in seq_along(items)) {
      v <- items[[i]]
      sub <- marked[!is.na(d[[v]]), ]
      b <- domain_means(sub, v)
      cst <- svycontrast(b, c(-1, 1))  # inside minus outside
      check <- svyglm(as.formula(paste0(v, " ~ .contrast_inside")), design = sub)
      stopifnot(isTRUE(all.equal(c(coef(cst)[[1]], SE(cst)[[1]]),
                                 unname(c(coef(check)[2], SE(check)[2])), tolerance = 1e-10)))
      rows[[i]] <- list(by = dom$by, variable = labels[[i]], estimate = coef(b)[[2]],
                        rest = coef(b)[[1]], difference = coef(cst)[[1]], se = SE(cst)[[1]])
    }
    p <- sapply(rows, function(r) 2 * pt(-abs(r$difference / r$se), df))
    ph <- p.adjust(p, "holm")
    for (i in seq_along(rows)) {
      r <- rows[[i]]
      out[[length(out) + 1]] <- list(
        by = r$by, variable = r$variable, estimate = num(r$estimate), rest = num(r$rest),
        difference = num(r$difference), se = num(r$se), df = df, p = num(p[i]),
        p_holm = num(ph[i]), significant = unname(ph[i] < alpha))
    }
  }
  out
}

for (case in config$cases) {
  d <- read_data(case$data)
  for (p in stats$proportions) {
    v <- p[[1]]
    values <- unlist(p[[2]])
    d[[paste0(".ind_", v, "_", paste(values, collapse = "_"))]] <-
      ifelse(is.na(d[[v]]), NA, as.numeric(d[[v]] %in% values))
  }
  tp <- stats$ties_proportions
  tie_props <- c()
  for (v in unlist(tp$items)) {
    name <- paste0(".tie_", v)
    d[[name]] <- ifelse(is.na(d[[v]]), NA, as.numeric(d[[v]] %in% unlist(tp$values)))
    tie_props <- c(tie_props, name)
  }
  design <- make_design(case, d)
  result <- list(case = case$name)
  if (!is.null(case$margins)) {
    design <- rake_design(design, d, case$margins)
    result$raked_weights <- structure(
      paste0("[", paste(sprintf("%.17g", weights(design)), collapse = ","), "]"),
      class = "json")
  }
  estimates <- list()
  ties_means <- list()
  ties_props <- list()
  for (by in case$by) {
    by <- unlist(by)
    for (dom in domains_of(d, by)) {
      estimates <- c(estimates, estimates_for(design, d, dom))
      ties_means[[length(ties_means) + 1]] <- ranking_for(design, d, dom, unlist(stats$ties_means))
      r <- ranking_for(design, d, dom, tie_props)
      for (i in seq_along(r$ranking)) r$ranking[[i]]$variable <- sub("^\\.tie_", "", r$ranking[[i]]$variable)
      ties_props[[length(ties_props) + 1]] <- r
    }
    if (length(by) > 0) {
      # cross-check: svyby (na.rm = TRUE) gives the same means as the explicit subsets
      v <- unlist(stats$means)[1]
      sb <- svyby(as.formula(paste0("~", v)), as.formula(paste0("~", paste(by, collapse = "+"))),
                  design, svymean, na.rm = TRUE)
      mine <- sapply(Filter(function(e) e$variable == v && e$statistic == "mean" &&
                              length(e$by) == length(by), estimates),
                     function(e) as.numeric(unclass(e$se)))
      stopifnot(isTRUE(all.equal(sort(as.numeric(SE(sb))), sort(mine), tolerance = 1e-12)))
    }
  }
  result$degf <- degf(design)
  result$estimates <- estimates
  result$ties_means <- ties_means
  result$ties_proportions <- ties_props
  tie_items <- unlist(tp$items)
  result$contrasts <- list(
    means = contrasts_for(design, d, stats$contrasts_by, unlist(stats$ties_means)),
    proportions = contrasts_for(design, d, stats$contrasts_by, tie_props, tie_items))
  write(toJSON(result, auto_unbox = TRUE, digits = NA, json_verbatim = TRUE, na = "null", null = "null", pretty = TRUE),
        file.path(out_dir, paste0(case$name, ".json")))
  cat("wrote", file.path(out_dir, paste0(case$name, ".json")), "\n")
}
