package org.mtpjava.workflow.ductility;

import org.mtpjava.al.ActiveLearning;
import org.mtpjava.al.ActiveSet;
import org.mtpjava.al.ExtrapolativeNeighbourhoods;
import org.mtpjava.al.PeriodicCut;
import org.mtpjava.al.loop.LearningLoop;
import org.mtpjava.al.loop.LoopConfig;
import org.mtpjava.al.loop.TrainCommandFitter;
import org.mtpjava.io.AtomicFiles;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.BasisGenerator;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.MomentBasis;
import org.mtpjava.model.Potential;
import org.mtpjava.model.RadialBasisType;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The study with an actively learned MTP (issue 11, items 2-3): a starting training set of small random-alloy
 * cells labelled by the oracle, a first fit, then rounds of
 * <ol>
 *   <li>the property sweep with the round's potential, every LAMMPS run under extrapolation control
 *       ({@code pair_style mtpjava extrapolation}: configurations above {@code select} saved, runs above
 *       {@code break} stopped);</li>
 *   <li>the saved configurations cut to the neighbourhood of their most extrapolative atom
 *       (MLIP's cut_extrapolative_nbh, non-periodic clusters, or small periodic cells with cut = "periodic");</li>
 *   <li>select-add (MaxVol) against the training set;</li>
 *   <li>labelling by the oracle command (failures reported per configuration; labelled data kept);</li>
 *   <li>retraining with mtpjava's {@code train} (from the round's potential);</li>
 * </ol>
 * until a sweep ends with no grade above select. With {@code accuracy_check = true} that sweep must also pass
 * the accuracy check ({@link AccuracyCheck} on a fresh, oracle-labelled set of {@link PropertyProbes}); if it
 * does not, the failing compositions' probes join the training set and the loop retrains and sweeps again.
 * Every step's output is a file in {@code <output>/al/}, so an interrupted loop resumes where it stopped. With a
 * stand-in oracle potential ({@code [oracle] potential}) the same sweep is run with the oracle itself and the
 * comparison table is written.
 */
public final class ActiveLearningLoop {
    private final DuctilityConfig cfg;
    private final ActiveLearningConfig al;
    private final PrintStream log;
    private final Path dir;
    private final Path jar;
    private final LearningLoop.Fitter fitter;
    private final Oracle oracle;

    public ActiveLearningLoop(DuctilityConfig cfg, PrintStream log) {
        this(cfg, log, null);
    }

    /** @param fitter the training step (null: mtpjava's {@code train} command in a child JVM) */
    public ActiveLearningLoop(DuctilityConfig cfg, PrintStream log, LearningLoop.Fitter fitter) {
        this.cfg = cfg;
        this.al = cfg.activeLearning;
        this.log = log;
        this.dir = cfg.outputDir.resolve("al");
        this.jar = cfg.jar != null ? cfg.jar : DuctilitySweep.ownJar();
        if (al.oracleCommand == null || al.oracleCommand.isBlank())
            throw new IllegalArgumentException(cfg.file + ": active learning needs oracle.command");
        this.oracle = new Oracle(al.oracleCommand, al.oracleTimeoutMinutes, al.trainingSpecies, jar).configDir(cfg.baseDir);
        if (fitter != null) this.fitter = fitter;
        else {
            List<String> args = new ArrayList<>(List.of("--al-mode", "nbh", "--iteration-limit", Integer.toString(al.iterationLimit),
                    "--threads", Integer.toString(al.threads)));
            args.addAll(al.trainArgs);
            this.fitter = new TrainCommandFitter(new LoopConfig.Train(args, List.of("-Xmx4g")));
        }
    }

    /**
     * One line of {@code rounds.csv}; {@code accuracyProbes} (labelled probes of the accuracy check) and
     * {@code accuracyFailing} (compositions outside the tolerances) are -1 when the check did not run (an empty
     * field in the file; files written before these columns existed read the same way).
     */
    public record Round(int round, int trainingSet, int tasks, int tasksBroken, double maxGrade, int extrapolative,
                        int candidates, int selected, int labelled, int failed, int accuracyProbes, int accuracyFailing) {
        static final String HEADER = "round,training_configurations,tasks,tasks_stopped_at_break,max_grade,extrapolative_cfgs,"
                + "candidates,selected,labelled,oracle_failures,accuracy_probes,accuracy_failing_compositions";

        Round(int round, int trainingSet, int tasks, int tasksBroken, double maxGrade, int extrapolative, int candidates, int selected,
              int labelled, int failed) {
            this(round, trainingSet, tasks, tasksBroken, maxGrade, extrapolative, candidates, selected, labelled, failed, -1, -1);
        }

        String csv() {
            return String.format(Locale.ROOT, "%d,%d,%d,%d,%.6g,%d,%d,%d,%d,%d,%s,%s", round, trainingSet, tasks, tasksBroken, maxGrade,
                    extrapolative, candidates, selected, labelled, failed, optional(accuracyProbes), optional(accuracyFailing));
        }

        /** Parses a line of {@link #csv()}, or of the older 10-column layout. */
        static Round parse(String line) {
            String[] t = line.split(",", -1);
            return new Round(Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2]), Integer.parseInt(t[3]),
                    Double.parseDouble(t[4]), Integer.parseInt(t[5]), Integer.parseInt(t[6]), Integer.parseInt(t[7]),
                    Integer.parseInt(t[8]), Integer.parseInt(t[9]), optional(t, 10), optional(t, 11));
        }

        boolean accuracyChecked() { return accuracyProbes >= 0; }

        private static String optional(int v) { return v < 0 ? "" : Integer.toString(v); }

        private static int optional(String[] t, int k) { return k < t.length && !t[k].isBlank() ? Integer.parseInt(t[k].trim()) : -1; }
    }

    Path roundDir(int r) { return dir.resolve(String.format(Locale.ROOT, "round-%03d", r)); }

    Path potential(int r) { return roundDir(r).resolve("potential.almtp"); }

    Path trainingSet() { return dir.resolve("train.cfg"); }

    /** Runs (or resumes) the loop over the compositions and returns the final sweep's summaries. */
    public List<Summary> run(List<Composition> comps) {
        mkdirs(dir);
        int[] speciesOfElement = new int[3];
        for (int e = 0; e < 3; e++) speciesOfElement[e] = al.trainingSpecies.indexOf(Composition.ELEMENTS[e]);
        initialSet(speciesOfElement, comps);
        if (!Files.isRegularFile(potential(0))) {
            mkdirs(roundDir(0));
            Path template = template();
            log.println("[al] training the first potential on " + count(trainingSet()) + " configurations (" + template.getFileName() + ")");
            fitter.train(template, trainingSet(), potential(0), roundDir(0));
            require(potential(0), "the first potential");
        }
        List<Round> rounds = readRounds();
        List<Summary> last = null;
        for (int r = 0; r < al.maxRounds; r++) {
            if (!Files.isRegularFile(potential(r)))
                throw new IllegalStateException("missing " + potential(r) + " (the previous round did not finish its training)");
            DuctilitySweep sweep = new DuctilitySweep(cfg, potential(r), al.trainingSpecies, roundDir(r).resolve("sweep"), true,
                    "al round " + r, log);
            List<Summary> rows = sweep.run(comps);
            last = rows;
            compareRound(r, rows, comps, rounds);
            int broken = (int) rows.stream().filter(s -> s.status().equals("BREAK")).count();
            List<Configuration> dumped = collectDumps(sweep.workDir(), comps);
            // the thermo output prints the grade only every few steps: the saved configurations' own grades count too
            double maxGrade = Math.max(rows.stream().mapToDouble(Summary::maxGrade).max().orElse(0), maxDumpedGrade(dumped));
            int tasks = countTasks(sweep.workDir());
            List<Summary> bad = rows.stream().filter(x -> !x.status().equals("OK") && !x.status().equals("BREAK")).toList();
            if (!bad.isEmpty())
                throw new IllegalStateException("round " + r + ": " + bad.size() + " composition(s) did not finish for a reason other than "
                        + "extrapolation (" + bad.get(0).composition() + ": " + bad.get(0).message() + "); fix that and run again (finished "
                        + "tasks are kept)");
            if (dumped.isEmpty() && broken == 0) {
                AccuracyCheck.Result acc = al.accuracyCheck ? accuracy(r, comps, rows, speciesOfElement) : null;
                boolean again = acc != null && !acc.passed() && r < al.maxRounds - 1;
                if (again) addProbes(r, acc);
                rounds = upsert(rounds, new Round(r, trainingSetUpTo(r), tasks, 0, maxGrade, 0, 0, 0, 0, 0,
                        acc == null ? -1 : acc.probes(), acc == null ? -1 : acc.failing().size()));
                writeRounds(rounds);
                if (again) {
                    retrain(r);
                    continue;
                }
                if (acc != null && !acc.passed()) {
                    // the last allowed round: reported like a sweep that still had grades above select
                    log.printf(Locale.ROOT, "[al] active_learning.max_rounds = %d reached: round %d has no grade above select %s but %d of %d "
                            + "compositions are outside the accuracy tolerances; accuracy check NOT met, the results are those of this sweep "
                            + "(run again with a larger max_rounds to continue)%n", al.maxRounds, r, LammpsScripts.num(cfg.select),
                            acc.failing().size(), acc.compositions());
                    finish(r, rows, comps, "Round " + r + " is the last one allowed by active_learning.max_rounds: it had no grade above select, "
                            + "but the accuracy check was NOT met (" + acc.failing().size() + " of " + acc.compositions()
                            + " compositions outside the tolerances, " + accuracyTable(r) + "); these are that round's results.");
                    return rows;
                }
                log.printf(Locale.ROOT, "[al] round %d: no grade above select %s in %d LAMMPS runs (max %.3g)%s: converged; training set %d%n",
                        r, LammpsScripts.num(cfg.select), tasks, maxGrade, al.accuracyCheck ? " and the accuracy check passed" : "",
                        count(trainingSet()));
                finish(r, rows, comps, null);
                return rows;
            }
            if (r == al.maxRounds - 1) {
                // the last allowed round: keep its sweep as the result (table, maps, comparison), marked as not converged;
                // a rerun with a larger max_rounds continues from here (cut, select, label, retrain)
                // (a rerun with a smaller max_rounds keeps what an earlier, longer run already cut, selected and labelled)
                Path rdl = roundDir(r);
                rounds = upsert(rounds, new Round(r, trainingSetUpTo(r), tasks, broken, maxGrade, dumped.size(), count(rdl.resolve("candidates.cfg")),
                        count(rdl.resolve("selected.cfg")), count(rdl.resolve("labelled.cfg")), countLines(rdl.resolve("oracle-failures.txt"))));
                writeRounds(rounds);
                log.printf(Locale.ROOT, "[al] active_learning.max_rounds = %d reached: round %d still has %d configurations above select %s "
                        + "(max grade %.3g, %d runs stopped at break); NOT converged, the results are those of this sweep (run again "
                        + "with a larger max_rounds to continue)%n", al.maxRounds, r, dumped.size(), LammpsScripts.num(cfg.select), maxGrade, broken);
                finish(r, rows, comps, "Round " + r + " is the last one allowed by active_learning.max_rounds and still had "
                        + dumped.size() + " configurations above select (max grade " + String.format(Locale.ROOT, "%.3g", maxGrade)
                        + "): the active learning did NOT converge; these are that round's results.");
                return rows;
            }
            // cut, select, label, retrain
            Path rd = roundDir(r);
            Path cand = rd.resolve("candidates.cfg");
            if (!Files.isRegularFile(cand)) {
                List<Configuration> cut = cut(dumped);
                CfgFiles.write(cand, cut, CfgFiles.Precision.LOSSLESS);
            }
            int nCand = count(cand);
            Path sel = rd.resolve("selected.cfg");
            if (!Files.isRegularFile(sel)) select(potential(r), cand, sel);
            int nSel = count(sel);
            Path lab = rd.resolve("labelled.cfg");
            int failed = 0;
            if (!Files.isRegularFile(lab)) {
                List<Configuration> selected = CfgFiles.read(sel);
                Oracle.Outcome o = labelAll(selected, rd.resolve("oracle"), "r" + r + "-");
                failed = o.failures().size();
                CfgFiles.write(lab, o.labelled(), CfgFiles.Precision.LOSSLESS);
                report(o, rd);
            } else failed = countLines(rd.resolve("oracle-failures.txt"));
            int nLab = count(lab);
            log.printf(Locale.ROOT, "[al] round %d: %d extrapolative configurations, %d cut neighbourhoods, %d selected, %d labelled, %d oracle failures%n",
                    r, dumped.size(), nCand, nSel, nLab, failed);
            if (nSel == 0) {
                log.println("[al] round " + r + ": the extrapolative neighbourhoods add nothing to the active set; stopping");
                finish(r, rows, comps, "Round " + r + "'s extrapolative neighbourhoods added nothing to the active set: "
                        + "the loop stopped with grades above select (not converged); these are that round's results.");
                return rows;
            }
            if (nLab == 0) throw new IllegalStateException("round " + r + ": the oracle labelled none of the " + nSel
                    + " selected configurations (see " + rd.resolve("oracle-failures.txt") + ")");
            merge(lab, r);
            rounds = upsert(rounds, new Round(r, trainingSetUpTo(r), tasks, broken, maxGrade, dumped.size(), nCand, nSel, nLab, failed));
            writeRounds(rounds);
            retrain(r);
        }
        return last;   // not reached: the last round returns above
    }

    /** Round r+1's potential, trained from round r's on the current training set (skipped if it exists). */
    private void retrain(int r) {
        if (Files.isRegularFile(potential(r + 1))) return;
        mkdirs(roundDir(r + 1));
        log.println("[al] round " + r + ": retraining on " + count(trainingSet()) + " configurations");
        fitter.train(potential(r), trainingSet(), potential(r + 1), roundDir(r + 1));
        require(potential(r + 1), "the retrained potential");
    }

    private static String accuracyTable(int r) { return "accuracy-round-" + r + ".csv"; }

    /**
     * The accuracy check of round r: probes generated with a seed of their own per round (so each check tests
     * cells the fit has not seen) at the lattice constants of the round's sweep, labelled once by the oracle (kept in
     * {@code round-r/accuracy/labelled.cfg} for resuming), then compared with round r's potential in Java (seconds;
     * redone on every resume).
     */
    AccuracyCheck.Result accuracy(int r, List<Composition> comps, List<Summary> rows, int[] speciesOfElement) {
        Path d = roundDir(r).resolve("accuracy");
        Path lab = d.resolve("labelled.cfg");
        if (!Files.isRegularFile(lab)) {
            mkdirs(d);
            // the cells at the a0 this sweep measured with the learned potential: the C_ij are measured there, and the
            // guess is up to 0.5 % off (pure Nb), which at Nb's non-linearity changes even the sign of the probes' C44
            Map<String, Double> a0 = new HashMap<>();
            for (Summary s : rows) if (Double.isFinite(s.a0()) && s.a0() > 0) a0.put(s.composition(), s.a0());
            List<Configuration> probes = PropertyProbes.generate(comps, c -> a0.getOrDefault(c.label(), PropertyProbes.guess(c)), al.initialMaxAtoms,
                    al.probeStrains, al.probeShifts, al.probeRattle,
                    speciesOfElement, BccCell.seed(cfg.seed, "accuracy", Integer.toString(r)));
            CfgFiles.write(d.resolve("generated.cfg"), probes, CfgFiles.Precision.LOSSLESS);
            log.println("[al] round " + r + ": accuracy check, labelling " + probes.size() + " property probes of " + comps.size()
                    + " compositions with the oracle");
            Oracle.Outcome o = labelAll(probes, d.resolve("oracle"), "acc" + r + "-");
            report(o, d);
            if (o.labelled().isEmpty()) throw new IllegalStateException("round " + r + ": the oracle labelled none of the accuracy probes (see "
                    + d.resolve("oracle-failures.txt") + ")");
            CfgFiles.write(lab, o.labelled(), CfgFiles.Precision.LOSSLESS);
        }
        AccuracyCheck.Result acc = AccuracyCheck.evaluate(PotentialFiles.read(potential(r)), CfgFiles.read(lab), al.accuracyCij, al.accuracyGamma,
                al.threads);
        Path table = dir.resolve(accuracyTable(r));
        AccuracyCheck.write(table, acc);
        log.printf(Locale.ROOT, "[al] round %d: accuracy check on %d probes: %d of %d compositions within C_ij %.3g and gamma %.3g "
                        + "(worst relative error C_ij %.3g, gamma %.3g%s)%s; %s%n", r, acc.probes(), acc.compositions() - acc.failing().size(),
                acc.compositions(), al.accuracyCij, al.accuracyGamma, acc.worst("C"), acc.worst("gamma"),
                acc.skipped() > 0 ? ", " + acc.skipped() + " quantities without oracle labels" : "",
                acc.passed() ? "" : ", failing: " + String.join(" ", acc.failing()), table);
        return acc;
    }

    /**
     * Adds the failing compositions' labelled probes to the training set, tagged with round r like the round's
     * selected configurations. They bypass select-add on purpose: MaxVol would reject them, since they lie inside
     * the active set's domain (that the sweep met no grade above select is why the check runs), and what makes
     * them worth adding is the measured error, not novelty.
     */
    void addProbes(int r, AccuracyCheck.Result acc) {
        Path d = roundDir(r).resolve("accuracy");
        Path added = d.resolve("added.cfg");
        if (!Files.isRegularFile(added)) {
            List<Configuration> out = new ArrayList<>();
            for (Configuration c : CfgFiles.read(d.resolve("labelled.cfg"))) {
                PropertyProbes.Tag t = PropertyProbes.Tag.of(c);
                if (t != null && acc.failing().contains(t.composition())) out.add(c);
            }
            CfgFiles.write(added, out, CfgFiles.Precision.LOSSLESS);
        }
        log.printf(Locale.ROOT, "[al] round %d: adding the %d probes of the %d failing compositions to the training set%n", r, count(added),
                acc.failing().size());
        merge(added, r);
    }

    /**
     * The starting training set: generated small cells (with initial_probes, also the property probes of the
     * sweep's compositions) labelled by the oracle (once; kept on resume).
     */
    private void initialSet(int[] speciesOfElement, List<Composition> comps) {
        if (Files.isRegularFile(trainingSet())) return;
        Path d = dir.resolve("initial");
        mkdirs(d);
        List<Configuration> cells = new ArrayList<>(InitialSet.generate(al.initialConfigurations, al.initialMaxAtoms, speciesOfElement,
                BccCell.seed(cfg.seed, "initial")));
        if (al.initialProbes) {
            List<Configuration> probes = PropertyProbes.generate(comps, al.initialMaxAtoms, al.probeStrains, al.probeShifts, al.probeRattle,
                    speciesOfElement, BccCell.seed(cfg.seed, "initial-probes"));
            log.println("[al] adding " + probes.size() + " property probes (" + PropertyProbes.perComposition(al.probeStrains, al.probeShifts)
                    + " for each of " + comps.size() + " compositions) to the starting set");
            cells.addAll(probes);
        }
        CfgFiles.write(d.resolve("generated.cfg"), cells, CfgFiles.Precision.LOSSLESS);
        log.println("[al] labelling the " + cells.size() + " generated starting configurations (<= " + al.initialMaxAtoms + " atoms) with the oracle");
        Oracle.Outcome o = labelAll(cells, d.resolve("oracle"), "init-");
        report(o, d);
        if (o.labelled().isEmpty()) throw new IllegalStateException("the oracle labelled none of the starting configurations (see "
                + d.resolve("oracle-failures.txt") + ")");
        for (Configuration c : o.labelled()) c.features().put("al_round", "initial");
        CfgFiles.write(trainingSet(), o.labelled(), CfgFiles.Precision.LOSSLESS);
    }

    /** Labels in batches of oracle.batch_size (0 = one call); labelled data of finished batches is kept. */
    private Oracle.Outcome labelAll(List<Configuration> cfgs, Path d, String prefix) {
        int batch = al.oracleBatch <= 0 ? Math.max(1, cfgs.size()) : al.oracleBatch;
        List<Configuration> labelled = new ArrayList<>();
        List<Oracle.Failure> failures = new ArrayList<>();
        double seconds = 0;
        int exit = 0;
        for (int start = 0, b = 0; start < cfgs.size(); start += batch, b++) {
            Path bd = d.resolve(String.format(Locale.ROOT, "batch-%03d", b));
            Path done = bd.resolve("labelled.cfg");
            List<Configuration> part = cfgs.subList(start, Math.min(cfgs.size(), start + batch));
            if (Files.isRegularFile(done) && Files.isRegularFile(bd.resolve("failures.txt"))) {
                labelled.addAll(CfgFiles.read(done));
                for (String line : lines(bd.resolve("failures.txt"))) {
                    int tab = line.indexOf('\t');
                    if (tab > 0) failures.add(new Oracle.Failure(line.substring(0, tab), line.substring(tab + 1)));
                }
                continue;
            }
            Oracle.Outcome o = oracle.label(part, bd, prefix + start + "+");
            CfgFiles.write(done, o.labelled(), CfgFiles.Precision.LOSSLESS);
            labelled.addAll(o.labelled());
            failures.addAll(o.failures());
            seconds += o.seconds();
            if (o.exitCode() != 0) exit = o.exitCode();
            log.printf(Locale.ROOT, "[al] oracle batch %d: %d of %d labelled in %.1f s%s%n", b, o.labelled().size(), part.size(), o.seconds(),
                    o.failures().isEmpty() ? "" : ", failures: " + o.failures().get(0).reason() + (o.failures().size() > 1 ? " (+" + (o.failures().size() - 1) + ")" : ""));
        }
        return new Oracle.Outcome(labelled, failures, exit, seconds);
    }

    private void report(Oracle.Outcome o, Path d) {
        StringBuilder sb = new StringBuilder();
        for (Oracle.Failure f : o.failures()) sb.append(f.id()).append('\t').append(f.reason()).append('\n');
        AtomicFiles.writeString(d.resolve("oracle-failures.txt"), sb.toString());
        if (!o.failures().isEmpty())
            log.println("[al] " + o.failures().size() + " configuration(s) could not be labelled; listed in " + d.resolve("oracle-failures.txt"));
    }

    /** The untrained starting potential: the configured template, or a generated basis of the configured level. */
    private Path template() {
        if (al.trainingTemplate != null) {
            require(al.trainingTemplate, "training.template");
            return al.trainingTemplate;
        }
        Path t = dir.resolve(String.format(Locale.ROOT, "template-level%d.almtp", al.level));
        if (!Files.isRegularFile(t)) {
            int k = BasisGenerator.radialFunctionsCount(al.level);
            MomentBasis basis = BasisGenerator.generate(al.level);
            Potential p = new Potential(RadialBasisType.RB_CHEBYSHEV, 2.0, al.maxDist, al.radialBasisSize, null, k, basis,
                    al.trainingSpecies.size());
            PotentialFiles.write(p, t);
        }
        return t;
    }

    /** Extrapolative configurations saved by the round's LAMMPS runs (every task folder's dump). */
    private List<Configuration> collectDumps(Path work, List<Composition> comps) {
        List<Configuration> out = new ArrayList<>();
        for (Composition c : comps) {
            Path cdir = work.resolve(c.label());
            if (!Files.isDirectory(cdir)) continue;
            try (Stream<Path> s = Files.walk(cdir)) {
                for (Path f : s.filter(p -> p.getFileName().toString().equals(LammpsScripts.DUMP)).sorted().toList()) {
                    String source = work.relativize(f.getParent()).toString();
                    for (Configuration x : CfgFiles.read(f)) {
                        x.features().put("al_source", source);
                        out.add(x);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static int countTasks(Path work) {
        if (!Files.isDirectory(work)) return 0;
        try (Stream<Path> s = Files.walk(work)) {
            return (int) s.filter(p -> p.getFileName().toString().equals(LammpsScripts.INPUT)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The neighbourhood of each configuration's most extrapolative atom (non-periodic cluster). */
    private List<Configuration> cut(List<Configuration> dumped) {
        List<Configuration> out = new ArrayList<>();
        int counter = 0;
        for (Configuration c : dumped) {
            if (c.neighbourhoodGrades() == null) continue;
            Configuration x = al.cut.equals("periodic")
                    ? PeriodicCut.cut(c, al.cutCutoff, al.maxDist, ExtrapolativeNeighbourhoods.DEFAULT_THRESHOLD, counter)
                    : ExtrapolativeNeighbourhoods.cut(c, al.cutCutoff, ExtrapolativeNeighbourhoods.DEFAULT_THRESHOLD, counter);
            if (x == null) continue;
            x.features().put("al_source", c.features().getOrDefault("al_source", ""));
            out.add(x);
            counter++;
        }
        return out;
    }

    private void select(Path pot, Path cand, Path sel) {
        Potential p = PotentialFiles.read(pot);
        if (p.activeSet() == null) throw new IllegalStateException(pot + " has no active set");
        ActiveSet as = ActiveSet.fromData(p, pot.toString());
        int threads = Math.max(1, al.threads);
        var opts = new ActiveLearning.SelectAddOptions(ActiveSet.DEFAULT_THRESHOLD, 0, al.selectBatch > 0 ? al.selectBatch : 9999, threads);
        var res = ActiveLearning.selectAdd(p, as, sink -> CfgFiles.forEach(trainingSet(), sink), sink -> CfgFiles.forEach(cand, sink), opts);
        List<Configuration> out = new ArrayList<>();
        for (Configuration c : res.newlySelected()) {
            Configuration x = c.copy();
            x.clearComputed();
            x.setNeighbourhoodGrades(null);
            x.features().remove("selected_eqn_inds");
            out.add(x);
        }
        CfgFiles.write(sel, out, CfgFiles.Precision.LOSSLESS);
    }

    /** Appends a round's labelled configurations to the training set (idempotent: tagged al_round). */
    private void merge(Path lab, int r) {
        List<Configuration> train = CfgFiles.read(trainingSet());
        String tag = Integer.toString(r);
        for (Configuration c : train) if (tag.equals(c.features().get("al_round"))) return;
        for (Configuration c : CfgFiles.read(lab)) {
            c.features().put("al_round", tag);
            train.add(c);
        }
        CfgFiles.write(trainingSet(), train, CfgFiles.Precision.LOSSLESS);
    }

    /**
     * Final outputs: the last sweep's table and maps, and the stand-in comparison if configured.
     *
     * @param notConverged null if the round's sweep had no grade above select, else why the loop stopped anyway
     */
    private void finish(int r, List<Summary> rows, List<Composition> comps, String notConverged) {
        boolean converged = notConverged == null;
        Path sweepDir = roundDir(r).resolve("sweep");
        DuctilitySweep.writeOutputs(sweepDir, cfg.ductileBelow, rows, log, "Mo-Nb-Ta, actively learned MTP (round " + r
                + (converged ? ")" : ", not converged)"));
        AtomicFiles.writeString(dir.resolve("final-round.txt"), r + "\n" + potential(r) + "\n" + (converged ? "converged" : "not converged") + "\n");
        if (al.reference && al.oraclePotential != null)
            Comparison.write(dir.resolve("comparison"), oracleReference(comps), rows, readRounds(), notConverged, log);
    }

    /**
     * Every round's sweep: its table and maps in round-r/sweep/, and with a stand-in oracle the comparison of this
     * round's properties with the oracle's (round-r/comparison.md), so the accuracy of each round is visible while the
     * loop runs — not only for the final one.
     */
    private void compareRound(int r, List<Summary> rows, List<Composition> comps, List<Round> rounds) {
        Path sweepDir = roundDir(r).resolve("sweep");
        DuctilitySweep.writeOutputs(sweepDir, cfg.ductileBelow, rows, log, "Mo-Nb-Ta, al round " + r + " sweep");
        if (!al.reference || al.oraclePotential == null) return;
        Comparison.write(roundDir(r).resolve("comparison"), oracleReference(comps), rows, rounds,
                "Round " + r + "'s sweep (before this round's selection and retraining).", log);
    }

    /** The stand-in oracle's own properties on the same cells (computed once: its tasks are checkpointed). */
    private List<Summary> oracleReference(List<Composition> comps) {
        if (oracleRows != null) return oracleRows;
        DuctilitySweep ref = new DuctilitySweep(cfg, al.oraclePotential, al.oracleSpecies, cfg.outputDir.resolve("oracle-reference"), false,
                "oracle reference", log);
        oracleRows = ref.run(comps);
        DuctilitySweep.writeOutputs(ref.outputDir(), cfg.ductileBelow, oracleRows, log, "Mo-Nb-Ta, stand-in oracle (published MTP)");
        return oracleRows;
    }

    private List<Summary> oracleRows;

    // ---- records and small helpers -------------------------------------------------------------------------

    private List<Round> readRounds() {
        List<Round> out = new ArrayList<>();
        Path f = dir.resolve("rounds.csv");
        for (String line : lines(f)) {
            if (line.startsWith("round") || line.isBlank()) continue;
            out.add(Round.parse(line));
        }
        return out;
    }

    private static List<Round> upsert(List<Round> rounds, Round r) {
        List<Round> out = new ArrayList<>();
        for (Round x : rounds) if (x.round() != r.round()) out.add(x);
        out.add(r);
        out.sort(java.util.Comparator.comparingInt(Round::round));
        return out;
    }

    private void writeRounds(List<Round> rounds) {
        StringBuilder sb = new StringBuilder(Round.HEADER).append('\n');
        for (Round r : rounds) sb.append(r.csv()).append('\n');
        AtomicFiles.writeString(dir.resolve("rounds.csv"), sb.toString());
    }

    /** Training configurations up to and including round r's additions (tags "initial", "0" … "r"; stable on resume). */
    private int trainingSetUpTo(int r) {
        int[] n = {0};
        if (!Files.isRegularFile(trainingSet())) return 0;
        CfgFiles.forEach(trainingSet(), c -> {
            String tag = c.features().getOrDefault("al_round", "initial");
            try {
                if (tag.equals("initial") || Integer.parseInt(tag) <= r) n[0]++;
            } catch (NumberFormatException e) {
                n[0]++;
            }
        });
        return n[0];
    }

    private static double maxDumpedGrade(List<Configuration> dumped) {
        double m = 0;
        for (Configuration c : dumped) {
            String g = c.features().get("MV_grade");
            if (g == null) continue;
            try {
                m = Math.max(m, Double.parseDouble(g.trim()));
            } catch (NumberFormatException ignored) {
                // a malformed grade does not change the maximum
            }
        }
        return m;
    }

    static int count(Path cfgFile) {
        if (!Files.isRegularFile(cfgFile)) return 0;
        int[] n = {0};
        CfgFiles.forEach(cfgFile, c -> n[0]++);
        return n[0];
    }

    private static List<String> lines(Path f) {
        if (!Files.isRegularFile(f)) return List.of();
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int countLines(Path f) { return (int) lines(f).stream().filter(l -> !l.isBlank()).count(); }

    private static void mkdirs(Path d) {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + d + ": " + e.getMessage(), e);
        }
    }

    private static void require(Path f, String what) {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException(what + " " + f + " does not exist");
    }
}
