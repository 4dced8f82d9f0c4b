#!/usr/bin/env python3
"""Writes golden.json: fixed paired inputs and the p-values scipy.stats gives for them.

Run from this folder with scipy installed (the committed file was made with scipy 1.17.1,
numpy's default_rng): `python3 make_golden.py`. The inputs are generated here from fixed
seeds and rounded, then stored in golden.json, so the Rust tests need neither numpy nor scipy.

For each case:
  ttest_rel(a, b)            -> ttest_t, ttest_p   (paired t-test, two-sided)
  wilcoxon(a, b)             -> wilcoxon_p         (scipy defaults: zero_method="wilcox",
                                                    correction=False, method="auto")
  mde: for n topics, the d_z a two-sided paired t-test at alpha = 0.05 detects with power
       0.8, solved exactly with the noncentral t (scipy.stats.nct, brentq).
The cases cover each of wilcoxon's "auto" regimes: exact (n <= 50, no ties, no zeros),
permutation (ties or zeros, n <= 13, exhaustive there) and asymptotic (n > 50, or ties/zeros).
"""
import json

import numpy as np
import scipy
from scipy import optimize, stats


def case(name, a, b, regime):
    a = [float(x) for x in a]
    b = [float(x) for x in b]
    t = stats.ttest_rel(a, b)
    w = stats.wilcoxon(a, b)
    return {
        "name": name,
        "wilcoxon_regime": regime,
        "a": a,
        "b": b,
        "ttest_t": float(t.statistic),
        "ttest_p": float(t.pvalue),
        "wilcoxon_p": float(w.pvalue),
    }


def main():
    cases = []
    rng = np.random.default_rng(20261128)
    # 30 topics, continuous AP-like values: no ties, no zero differences.
    b = rng.beta(2, 5, 30).round(6)
    a = (b + rng.normal(0.03, 0.08, 30)).clip(0, 1).round(6)
    cases.append(case("continuous_30", a, b, "exact"))
    # 12 topics, no ties: exact.
    b = rng.uniform(0, 1, 12).round(6)
    a = (b + rng.normal(0.0, 0.1, 12)).round(6)
    cases.append(case("continuous_12", a, b, "exact"))
    # 10 topics, P@10-like values on a 0.1 grid: ties and zero differences, enumerated.
    b = rng.integers(0, 11, 10) / 10
    a = np.clip(b + rng.integers(-2, 3, 10) / 10, 0, 1)
    cases.append(case("grid_10", a.round(1), b.round(1), "enumerated"))
    # 60 topics on a 0.1 grid: ties and zeros, asymptotic.
    b = rng.integers(0, 11, 60) / 10
    a = np.clip(b + rng.integers(-3, 4, 60) / 10, 0, 1)
    cases.append(case("grid_60", a.round(1), b.round(1), "normal"))
    # 80 continuous topics: asymptotic without ties.
    b = rng.beta(2, 4, 80).round(6)
    a = (b + rng.normal(-0.01, 0.05, 80)).clip(0, 1).round(6)
    cases.append(case("continuous_80", a, b, "normal"))
    # 40 topics with some zeros (many systems agree on hard topics): asymptotic (zeros, n > 13).
    b = rng.beta(1, 3, 40).round(4)
    a = (b + rng.normal(0.02, 0.06, 40)).clip(0, 1).round(4)
    a[:6] = b[:6]
    cases.append(case("zeros_40", a, b, "normal"))
    mde = []
    for n in [10, 16, 20, 30, 52, 100, 250]:
        df = n - 1
        tc = stats.t.ppf(0.975, df)

        def power(d):
            ncp = d * np.sqrt(n)
            return stats.nct.sf(tc, df, ncp) + stats.nct.cdf(-tc, df, ncp)

        d = optimize.brentq(lambda d: power(d) - 0.8, 1e-3, min(2.0, 6 / np.sqrt(n)), xtol=1e-12)
        mde.append({"n": n, "alpha": 0.05, "power": 0.8, "d_z": float(d)})
    out = {
        "made_by": "tests/data/compare/make_golden.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": cases,
        "mde": mde,
    }
    with open("golden.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
