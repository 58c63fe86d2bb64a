#!/usr/bin/env python3
"""Learned vs oracle on one sweep of an active-learning run, before the run has finished.

The driver writes the comparison table (comparison.md) only at the end of a run. This reads the per-composition
summaries of any round's sweep (al/round-N/sweep/results/<composition>/summary.json) and an oracle sweep table
(oracle-ductility.csv of a run with the same [grid]/[cells]/[quick] settings, hence the same cells) and prints,
per quantity, how many compositions are within the issue's tolerances and the median deviation.

  compare-sweep.py ORACLE.csv RUN/al/round-N/sweep/results
"""
import csv, json, os, statistics, sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
oracle = {r["composition"]: r for r in csv.DictReader(open(sys.argv[1]))}
# (csv column, summary.json key, relative tolerance)
quantities = [("a0_A", "a0", 0.002), ("C11_GPa", "c11", 0.05), ("C12_GPa", "c12", 0.05), ("C44_GPa", "c44", 0.05),
              ("gamma_s100_Jm2", "gammaS100", 0.05), ("gamma_s110_Jm2", "gammaS110", 0.05),
              ("gamma_usf_Jm2", "gammaUsf", 0.05)]
within = {q[0]: 0 for q in quantities}
deviations = {q[0]: [] for q in quantities}
d_within, d_dev, all_within, n = 0, [], 0, 0
for comp, o in sorted(oracle.items()):
    path = os.path.join(sys.argv[2], comp, "summary.json")
    if not os.path.exists(path):
        print(f"{comp}: no summary in {sys.argv[2]}")
        continue
    learned = json.load(open(path))["result"]
    n += 1
    ok = True
    for column, key, tol in quantities:
        dev = abs(learned[key] / float(o[column]) - 1)
        deviations[column].append(dev)
        within[column] += dev <= tol
        ok &= dev <= tol
    dd = abs(learned["dOverDc"] - float(o["D_over_Dc"]))
    d_dev.append(dd)
    d_within += dd <= 0.02
    all_within += ok and dd <= 0.02
print(f"| quantity (tolerance) | within / {n} | median deviation |")
print("|---|---|---|")
for column, key, tol in quantities:
    print(f"| {column} ({tol:.1%}) | {within[column]} | {statistics.median(deviations[column]):.2%} |")
print(f"| D_over_Dc (0.02) | {d_within} | {statistics.median(d_dev):.3f} |")
print(f"| all at once | {all_within} | |")
