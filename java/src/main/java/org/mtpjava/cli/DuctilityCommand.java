package org.mtpjava.cli;

import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;
import org.mtpjava.workflow.ductility.ActiveLearningLoop;
import org.mtpjava.workflow.ductility.Composition;
import org.mtpjava.workflow.ductility.DuctilityConfig;
import org.mtpjava.workflow.ductility.DuctilityIndex;
import org.mtpjava.workflow.ductility.DuctilitySweep;
import org.mtpjava.workflow.ductility.SlurmScripts;
import org.mtpjava.workflow.ductility.StandaloneElastic;
import org.mtpjava.workflow.ductility.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "ductility", mixinStandardHelpOptions = true,
        description = {"The Mo-Nb-Ta ductility study: for every composition of a grid over the triangle, random bcc cells are "
                + "relaxed in LAMMPS with pair_style mtpjava to get a0, C11/C12/C44, the {100}/{110} surface energies and the "
                + "{110}<111> unstable stacking-fault energy; D = K_Ie/K_Ic and D/D_c follow (docs/ductility.md). Results are "
                + "checkpointed per task, so an interrupted sweep resumes; the table and maps go to the output folder.",
                "With [active_learning] enabled = true (or --active-learning) the potential is learned on the fly: extrapolative "
                        + "configurations are cut, selected, labelled by the oracle command and added, the potential retrained, "
                        + "and the sweep repeated until no grade exceeds select."},
        subcommands = {DuctilityCommand.Index.class, DuctilityCommand.ElasticCheck.class, DuctilityCommand.QeOracle.class,
                DuctilityCommand.Compare.class})
public final class DuctilityCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "ductility.toml (required except for the subcommands)")
    Path config;
    @Option(names = "--quick", description = "the [quick] variant: about 2,000 atoms, 25 %% grid, one realisation (minutes)")
    boolean quick;
    @Option(names = "--composition", paramLabel = "LABEL", description = "only this composition (e.g. Mo20Nb30Ta50); repeatable")
    List<String> only = new ArrayList<>();
    @Option(names = "--composition-index", paramLabel = "N", description = "only the N-th composition of the grid (0-based; Slurm array task)")
    Integer index;
    @Option(names = "--merge", description = "only assemble the table and maps from the results already computed")
    boolean merge;
    @Option(names = "--write-slurm", description = "write the Slurm job-array and merge scripts into <output>/slurm and exit")
    boolean writeSlurm;
    @Option(names = "--ranks", paramLabel = "N", description = "MPI ranks per LAMMPS run (overrides lammps.ranks)")
    Integer ranks;
    @Option(names = "--mpirun", paramLabel = "CMD", description = "MPI launcher words (overrides lammps.mpirun), e.g. \"srun\"")
    String mpirun;
    @Option(names = "--active-learning", description = "run the active-learning loop (as [active_learning] enabled = true)")
    boolean activeLearning;
    @Option(names = "--list", description = "print the compositions and cell sizes and exit")
    boolean list;

    @Override public Integer call() {
        if (config == null) throw new IllegalArgumentException("--config FILE is required (see examples/monbta-ductility/ductility.toml)");
        DuctilityConfig cfg = DuctilityConfig.read(config);
        if (quick) cfg = cfg.quick();
        if (ranks != null) {
            if (ranks < 1) throw new IllegalArgumentException("--ranks must be >= 1");
            cfg.ranks = ranks;
        }
        if (mpirun != null) cfg.mpirun = List.of(mpirun.trim().split("\\s+"));
        List<Composition> all = cfg.compositions();
        List<Composition> comps = select(all);
        String title = "Mo-Nb-Ta" + (quick ? " (quick)" : "");
        if (list) {
            for (int k = 0; k < all.size(); k++) if (comps.contains(all.get(k))) System.out.println(k + " " + all.get(k).label());
            System.out.println(comps.size() + " compositions, " + cfg.realisations + " realisation(s) of about " + cfg.atoms + " atoms each");
            return 0;
        }
        if (writeSlurm) {
            for (Path p : SlurmScripts.write(cfg, config.toAbsolutePath(), quick, all.size())) System.out.println("wrote " + p);
            return 0;
        }
        if (merge) {
            List<Summary> rows = DuctilitySweep.collect(cfg, comps, System.out);
            DuctilitySweep.writeOutputs(cfg, rows, System.out, title);
            printTable(rows, cfg);
            return 0;
        }
        if (activeLearning || cfg.activeLearning.enabled) {
            if (index != null || !only.isEmpty())
                throw new IllegalArgumentException("the active-learning loop runs over the whole grid (no --composition / --composition-index)");
            ActiveLearningLoop loop = new ActiveLearningLoop(cfg, System.out);
            List<Summary> rows = loop.run(comps);
            printTable(rows, cfg);
            return rows.stream().allMatch(s -> s.status().equals("OK")) ? 0 : 1;
        }
        DuctilitySweep sweep = new DuctilitySweep(cfg, cfg.potential, "ductility", System.out);
        List<Summary> rows = sweep.run(comps);
        // a single array task leaves the table and maps to the merge step (tasks run concurrently)
        if (index == null && only.isEmpty()) DuctilitySweep.writeOutputs(cfg, rows, System.out, title);
        else if (index == null) DuctilitySweep.writeOutputs(cfg, DuctilitySweep.collect(cfg, all, System.out), System.out, title);
        printTable(rows, cfg);
        return rows.stream().allMatch(s -> s.status().equals("OK")) ? 0 : 1;
    }

    private List<Composition> select(List<Composition> all) {
        if (index != null) {
            if (index < 0 || index >= all.size())
                throw new IllegalArgumentException("--composition-index " + index + " is outside 0.." + (all.size() - 1));
            return List.of(all.get(index));
        }
        if (only.isEmpty()) return all;
        List<Composition> out = new ArrayList<>();
        for (String l : only) out.add(Composition.parse(l));
        return out;
    }

    static void printTable(List<Summary> rows, DuctilityConfig cfg) {
        System.out.println(String.format(Locale.ROOT, "%-14s %8s %8s %8s %8s %8s %8s %8s %8s %7s %s", "composition", "a0(A)",
                "C11", "C12", "C44", "gs100", "gs110", "gusf", "D/Dc", "ductile", "status"));
        for (Summary s : rows)
            System.out.println(String.format(Locale.ROOT, "%-14s %8.4f %8.1f %8.1f %8.1f %8.3f %8.3f %8.3f %8.3f %7s %s", s.composition(),
                    s.a0(), s.c11(), s.c12(), s.c44(), s.gammaS100(), s.gammaS110(), s.gammaUsf(), s.dOverDc(),
                    Double.isNaN(s.dOverDc()) ? "-" : s.ductile() ? "yes" : "no", s.status()));
    }

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "D = K_Ie/K_Ic of given constants (GPa) and energies (J/m²) in the default crack system")
    static final class Index implements Callable<Integer> {
        @Option(names = "--c11", required = true) double c11;
        @Option(names = "--c12", required = true) double c12;
        @Option(names = "--c44", required = true) double c44;
        @Option(names = "--gamma-s", required = true, description = "surface energy of the cleavage plane, J/m²") double gs;
        @Option(names = "--gamma-usf", required = true, description = "unstable stacking-fault energy, J/m²") double gu;
        @Option(names = "--critical", description = "D_c (default ${DEFAULT-VALUE})") double dc = DuctilityIndex.SEED_CRITICAL;

        @Override public Integer call() {
            DuctilityIndex.Result r = DuctilityIndex.compute(c11, c12, c44, gs, gu, DuctilityIndex.DEFAULT);
            System.out.println(DuctilityIndex.DEFAULT.name() + ": " + r);
            System.out.println(String.format(Locale.ROOT, "D/D_c = %.4f (D_c = %s): %s", r.d() / dc, dc,
                    r.d() / dc < DuctilityIndex.SEED_DUCTILE_RATIO ? "ductile (D/D_c < 1.03)" : "brittle (D/D_c >= 1.03)"));
            return 0;
        }
    }

    @Command(name = "elastic-check", mixinStandardHelpOptions = true,
            description = "a0 and C11/C12/C44 of pure bcc elements straight from mtpjava (no LAMMPS): the cross-check of the workflow")
    static final class ElasticCheck implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "POT") Path potential;
        @Option(names = "--species", required = true, split = ",", description = "the potential's species names in index order, comma-separated")
        List<String> species;
        @Option(names = "--element", split = ",", description = "elements to compute (default Mo,Nb,Ta)")
        List<String> elements = List.of("Mo", "Nb", "Ta");
        @Option(names = "--strains", split = ",", description = "strain magnitudes (default 0.001,0.002)")
        List<Double> strains = List.of(0.001, 0.002);

        @Override public Integer call() {
            Potential p = PotentialFiles.read(potential);
            double[] eps = strains.stream().mapToDouble(Double::doubleValue).toArray();
            System.out.println("element a0(A) E(eV/atom) C11 C12 C44 (GPa) at each strain");
            for (String e : elements) {
                int sp = species.indexOf(e);
                if (sp < 0) throw new IllegalArgumentException("element " + e + " is not in --species " + species);
                StandaloneElastic.Result r = StandaloneElastic.compute(p, sp, 3.2, eps);
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-3s %.8f %.6f", e, r.a0(), r.energyPerAtom()));
                for (var c : r.elastic().byStrain())
                    sb.append(String.format(Locale.ROOT, " | eps %.4g: %.2f %.2f %.2f", c.strain(), c.c11(), c.c12(), c.c44()));
                System.out.println(sb);
            }
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Compares two ductility tables on the compositions of the first, with the stand-in-oracle tolerances "
                    + "(a0 0.2 %, C_ij, gamma_s, gamma_usf 5 %, D/D_c 0.02): writes PREFIX.md and PREFIX.csv and prints the verdict. "
                    + "An active-learning run writes this comparison for every round itself (al/round-N/comparison.md); this command "
                    + "compares sweeps of different runs that share the [grid], [cells] and [quick] settings (hence the same cells)."})
    static final class Compare implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REFERENCE", description = "ductility.csv of the reference (e.g. oracle-reference/ductility.csv), or its folder")
        Path reference;
        @Parameters(index = "1", paramLabel = "OTHER", description = "ductility.csv of the potential to check (e.g. al/round-3/sweep/ductility.csv), or its folder")
        Path other;
        @Option(names = "--out", paramLabel = "PREFIX", description = "output prefix (default: OTHER's folder/comparison)") Path out;

        @Override public Integer call() {
            Path ref = table(reference), oth = table(other);
            Path prefix = out != null ? out : oth.toAbsolutePath().getParent().resolve("comparison");
            var rows = org.mtpjava.workflow.ductility.Comparison.write(prefix, Summary.readCsv(ref), Summary.readCsv(oth), null,
                    "Reference " + ref + " against " + oth + ".", System.out);
            return rows.stream().allMatch(org.mtpjava.workflow.ductility.Comparison.Row::pass) ? 0 : 1;
        }

        private static Path table(Path p) {
            Path t = java.nio.file.Files.isDirectory(p) ? p.resolve("ductility.csv") : p;
            if (!java.nio.file.Files.isRegularFile(t)) throw new IllegalArgumentException("no ductility table " + t + " (a sweep's ductility.csv)");
            return t;
        }
    }

    @Command(name = "qe-oracle", mixinStandardHelpOptions = true,
            description = {"The oracle step with Quantum ESPRESSO: for every configuration of IN.cfg a pw.x run (input from the template, "
                    + "cards added by mtpjava), energy/forces/stress parsed back into OUT.cfg (eV, eV/A, virial eV). A run that fails "
                    + "(non-zero exit, SCF not converged, no JOB DONE, missing forces/stress) is written with the feature "
                    + "oracle_status = failed: <reason> and no energy, so the driver reports it per configuration.",
                    "Use as:  [oracle] command = \"{java} -jar {jar} ductility qe-oracle {in} {out} --template pw-template.in "
                            + "--species {species} --pseudo Nb=Nb.upf,Mo=Mo.upf,Ta=Ta.upf --pw 'mpirun -np 2 pw.x'\""})
    static final class QeOracle implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN.cfg") Path in;
        @Parameters(index = "1", paramLabel = "OUT.cfg") Path out;
        @Option(names = "--template", required = true, description = "pw.x namelists with {nat} and {ntyp}") Path template;
        @Option(names = "--species", required = true, split = "[ ,]", description = "element of each cfg type, in type order") List<String> species;
        @Option(names = "--pseudo", required = true, split = ",", description = "EL=file.UPF for every element") List<String> pseudo;
        @Option(names = "--mass", split = ",", description = "EL=mass (default: standard atomic weights of Mo, Nb, Ta, W)") List<String> mass = List.of();
        @Option(names = "--pw", defaultValue = "pw.x", description = "command that runs pw.x (the input is given with -in)") String pw;
        @Option(names = "--kspacing", defaultValue = "0.25", description = "k-point spacing, 1/A including 2pi (default ${DEFAULT-VALUE})") double kspacing;
        @Option(names = "--vacuum", defaultValue = "8", description = "vacuum around non-periodic clusters, A (default ${DEFAULT-VALUE})") double vacuum;
        @Option(names = "--timeout-minutes", defaultValue = "0", description = "per configuration, 0 = none") double timeout;
        @Option(names = "--workdir", description = "folder of the pw.x runs (default: OUT.cfg's folder/qe)") Path workdir;

        @Override public Integer call() throws Exception {
            java.util.Map<String, Double> masses = new java.util.HashMap<>(java.util.Map.of("Mo", 95.95, "Nb", 92.90637, "Ta", 180.94788, "W", 183.84));
            for (String m : mass) {
                String[] kv = m.split("=");
                if (kv.length != 2) throw new IllegalArgumentException("--mass expects EL=value, got " + m);
                masses.put(kv[0].trim(), Double.parseDouble(kv[1]));
            }
            java.util.Map<String, org.mtpjava.workflow.ductility.QuantumEspresso.Species> data = new java.util.HashMap<>();
            for (String p : pseudo) {
                String[] kv = p.split("=");
                if (kv.length != 2) throw new IllegalArgumentException("--pseudo expects EL=file, got " + p);
                String el = kv[0].trim();
                if (!masses.containsKey(el)) throw new IllegalArgumentException("no mass for " + el + " (give --mass " + el + "=...)");
                data.put(el, new org.mtpjava.workflow.ductility.QuantumEspresso.Species(el, masses.get(el), kv[1].trim()));
            }
            String tpl = java.nio.file.Files.readString(template);
            Path work = workdir != null ? workdir : out.toAbsolutePath().getParent().resolve("qe");
            java.nio.file.Files.createDirectories(work);
            List<org.mtpjava.model.Configuration> cfgs = org.mtpjava.io.CfgFiles.read(in);
            List<org.mtpjava.model.Configuration> res = new ArrayList<>();
            int ok = 0;
            for (int k = 0; k < cfgs.size(); k++) {
                org.mtpjava.model.Configuration c = cfgs.get(k).copy();
                c.clearComputed();
                Path d = work.resolve(String.format(Locale.ROOT, "cfg-%04d", k));
                java.nio.file.Files.createDirectories(d);
                String reason = null;
                try {
                    java.nio.file.Files.writeString(d.resolve("pw.in"),
                            org.mtpjava.workflow.ductility.QuantumEspresso.input(tpl, c, species, data, kspacing, vacuum));
                    ProcessBuilder pb = new ProcessBuilder("bash", "-c", pw + " -in pw.in").directory(d.toFile())
                            .redirectErrorStream(true).redirectOutput(d.resolve("pw.out").toFile());
                    Process proc = pb.start();
                    boolean done = timeout > 0 ? proc.waitFor((long) (timeout * 60), java.util.concurrent.TimeUnit.SECONDS) : proc.waitFor() >= Integer.MIN_VALUE;
                    if (!done) {
                        proc.descendants().forEach(ProcessHandle::destroyForcibly);
                        proc.destroyForcibly();
                        reason = "pw.x did not finish within " + timeout + " min";
                    } else {
                        String text = java.nio.file.Files.readString(d.resolve("pw.out"), java.nio.charset.StandardCharsets.ISO_8859_1);
                        boolean periodic = c.isPeriodic(0) && c.isPeriodic(1) && c.isPeriodic(2);
                        var r = org.mtpjava.workflow.ductility.QuantumEspresso.parse(text, c.size(), periodic ? c.volume() : 1, periodic);
                        if (proc.exitValue() != 0) reason = "pw.x exited with status " + proc.exitValue();
                        else {
                            c.setEnergy(r.energy());
                            c.setForces(r.forces());
                            if (periodic) c.setStress(r.virial());
                            c.features().put("oracle_status", "ok");
                            c.features().put("EFS_by", "QuantumESPRESSO pw.x");
                            ok++;
                        }
                    }
                } catch (IllegalArgumentException e) {
                    reason = e.getMessage();
                }
                if (reason != null) c.features().put("oracle_status", "failed: " + reason + " (" + d + ")");
                res.add(c);
                System.err.println("qe-oracle: configuration " + (k + 1) + "/" + cfgs.size() + ": " + (reason == null ? "ok" : "FAILED: " + reason));
            }
            org.mtpjava.io.CfgFiles.write(out, res, org.mtpjava.io.CfgFiles.Precision.LOSSLESS);
            System.err.println("qe-oracle: " + ok + " of " + cfgs.size() + " labelled -> " + out);
            return ok == 0 && !cfgs.isEmpty() ? 1 : 0;
        }
    }
}
