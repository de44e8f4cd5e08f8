# The benchmark's wave workload in R survey (used by bench/survey_estimation.py).
#   Rscript bench/r/wave.R DIR POP1 [POP2 ...]
# Reads DIR/<pop>.csv, writes DIR/<pop>_r.csv (estimates) and DIR/<pop>_r_ties.csv, and
# prints "elapsed_seconds max_memory_mb".
suppressPackageStartupMessages({ library(survey); library(data.table) })
options(survey.lonely.psu = "adjust")
args <- commandArgs(trailingOnly = TRUE)
dir <- args[[1]]
pops <- args[-1]
gc(reset = TRUE)
start <- proc.time()[["elapsed"]]
for (pop in pops) {
  d <- as.data.frame(fread(file.path(dir, paste0(pop, ".csv"))))
  items <- grep("^x", names(d), value = TRUE)
  for (v in items) d[[paste0("top_", v)]] <- ifelse(is.na(d[[v]]), NA, as.numeric(d[[v]] >= 9))
  design <- svydesign(ids = ~1, strata = ~region, weights = ~w, data = d)
  regions <- sort(unique(d$region))
  domains <- c(list(rep(TRUE, nrow(d))), lapply(regions, function(r) d$region == r))
  labels <- c("all", as.character(regions))
  out <- list()
  ties <- list()
  for (k in seq_along(domains)) {
    dom <- domains[[k]]
    est <- c()
    for (v in items) {
      for (s in c(v, paste0("top_", v))) {
        m <- svymean(as.formula(paste0("~", s)), design[dom & !is.na(d[[v]]), ], na.rm = TRUE)
        out[[length(out) + 1]] <- data.frame(domain = labels[k], variable = s,
                                             estimate = coef(m)[[1]], se = SE(m)[[1]])
        if (s == v) est <- c(est, coef(m)[[1]])
      }
    }
    df <- degf(design[dom, ])
    ord <- order(-est)
    top <- items[ord[1]]
    p <- c()
    for (v in items[ord[-1]]) {
      both <- dom & !is.na(d[[top]]) & !is.na(d[[v]])
      cst <- svycontrast(svymean(as.formula(paste0("~", top, "+", v)), design[both, ]), c(1, -1))
      p <- c(p, 2 * pt(-abs(coef(cst)[[1]] / SE(cst)[[1]]), df))
    }
    tied <- c(top, items[ord[-1]][p.adjust(p, "holm") >= 0.05])
    ties[[k]] <- data.frame(domain = labels[k], tied = paste(sort(tied), collapse = "|"))
  }
  fwrite(do.call(rbind, out), file.path(dir, paste0(pop, "_r.csv")))
  fwrite(do.call(rbind, ties), file.path(dir, paste0(pop, "_r_ties.csv")))
}
elapsed <- proc.time()[["elapsed"]] - start
g <- gc()
cat(sprintf("%.3f %.1f\n", elapsed, sum(g[, ncol(g)])))
