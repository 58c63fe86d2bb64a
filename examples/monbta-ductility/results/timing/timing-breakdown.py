#!/usr/bin/env python3
"""Time breakdown of the ductility workflow's LAMMPS tasks, from the per-task checkpoints.

usage: timing-breakdown.py RESULTS_DIR [RESULTS_DIR ...]   (RESULTS_DIR = <output>/results or one <composition> folder)

Per task (one LAMMPS process): wall time of the process, LAMMPS loop and Pair time (timing breakdown), and the
pair style's own counters (compute pair mtpjava, summed per pair-style instance): time in compute(), in the Java
call, in the Java MTP kernel (summed over the MPI ranks by `compute pair`; divided here by the rank count, i.e.
the per-rank average). Shares of the wall time:
  kernel  = MTP evaluation (Java kernel)
  gather  = Java neighbour gathering / force scatter / virial (pair-style work outside the kernel)
  bridge  = FFM down-call + C++ wrapper (compute() minus the Java call)
  rest    = wall minus compute(): process start (JVM start in the plugin, reading the potential), data files,
            LAMMPS outside the pair style (neighbour lists, minimiser, clear + re-setup between strains)
Bridge + driver overhead = bridge + rest (everything except the force calculation kernel + gather).
"""
import json, os, sys

def tasks(d):
    for root, _, files in os.walk(d):
        for f in sorted(files):
            if f.endswith('.json') and f != 'summary.json':
                r = json.load(open(os.path.join(root, f)))['result']
                run = r.get('run')
                if run and 'kernelSeconds' in run:
                    yield os.path.basename(root), f[:-5], r.get('atoms'), run

def main():
    tot = dict(wall=0, kern=0, gather=0, bridge=0, rest=0)
    print('%-14s %-14s %6s %5s %7s %6s %8s %8s %8s %8s' % ('composition', 'task', 'atoms', 'ranks', 'evals', 'wall_s',
                                                           'kernel%', 'gather%', 'bridge%', 'rest%'))
    for d in sys.argv[1:]:
        for comp, task, atoms, r in tasks(d):
            w, tp, tj, tk = r['wallSeconds'], r['pairStyleSeconds'], r['javaSeconds'], r['kernelSeconds']
            n = max(1, r.get('ranks', 1))   # `compute pair` sums the counters over the ranks: per-rank average
            tp, tj, tk = tp / n, tj / n, tk / n
            parts = dict(wall=w, kern=tk, gather=tj - tk, bridge=tp - tj, rest=w - tp)
            for k in tot: tot[k] += parts[k]
            print('%-14s %-14s %6s %5d %7d %6.1f %8.1f %8.1f %8.1f %8.1f' % (comp, task, atoms, r['ranks'], r['evaluations'], w,
                  100 * tk / w, 100 * (tj - tk) / w, 100 * (tp - tj) / w, 100 * (w - tp) / w))
    w = tot['wall']
    if w > 0:
        print('%-14s %-14s %6s %5s %7s %6.1f %8.1f %8.1f %8.1f %8.1f' % ('all', '', '', '', '', w, 100 * tot['kern'] / w,
              100 * tot['gather'] / w, 100 * tot['bridge'] / w, 100 * tot['rest'] / w))
        print('bridge + driver-side overhead (bridge + rest): %.1f %% of the task wall time' % (100 * (tot['bridge'] + tot['rest']) / w))

if __name__ == '__main__':
    main()
