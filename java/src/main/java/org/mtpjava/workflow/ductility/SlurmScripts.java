package org.mtpjava.workflow.ductility;

import org.mtpjava.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster variant of the sweep: a Slurm job array with one composition per array task (LAMMPS runs with
 * {@code --ntasks} MPI ranks inside the task) and a merge job that assembles the table and maps from the
 * per-composition results. Both call the same jar and configuration as a local run; the per-task command can
 * be run by hand ({@code SLURM_ARRAY_TASK_ID=3 bash ductility-array.sh}).
 */
public final class SlurmScripts {
    private SlurmScripts() {}

    public static List<Path> write(DuctilityConfig cfg, Path configFile, boolean quick, int compositions) {
        Path dir = cfg.outputDir.resolve("slurm");
        Path jar = cfg.jar != null ? cfg.jar : DuctilitySweep.ownJar();
        List<String> setup = new ArrayList<>(cfg.slurmSetup);
        if (setup.isEmpty()) setup.addAll(defaultSetup(jar));
        String java = "java -jar " + sh(jar.toString()) + " ductility --config " + sh(configFile.toString()) + (quick ? " --quick" : "");
        StringBuilder a = new StringBuilder();
        a.append("#!/usr/bin/env bash\n");
        a.append("# Mo-Nb-Ta ductility sweep as a Slurm job array: one composition per array task, LAMMPS with\n");
        a.append("# SLURM_NTASKS MPI ranks inside. Written by `mtpjava ductility --write-slurm`.\n");
        a.append("#   submit:  jid=$(sbatch --parsable ").append(dir.resolve("ductility-array.sh")).append(")\n");
        a.append("#            sbatch --dependency=afterany:$jid ").append(dir.resolve("ductility-merge.sh")).append('\n');
        a.append("#   by hand: SLURM_ARRAY_TASK_ID=0 bash ").append(dir.resolve("ductility-array.sh")).append('\n');
        a.append("#SBATCH --job-name=monbta-ductility\n");
        a.append("#SBATCH --array=0-").append(compositions - 1).append('\n');
        a.append("#SBATCH --ntasks=").append(cfg.ranks).append('\n');
        a.append("#SBATCH --cpus-per-task=1\n");
        a.append("#SBATCH --time=").append(cfg.slurmTime).append('\n');
        if (!cfg.slurmPartition.isEmpty()) a.append("#SBATCH --partition=").append(cfg.slurmPartition).append('\n');
        if (!cfg.slurmAccount.isEmpty()) a.append("#SBATCH --account=").append(cfg.slurmAccount).append('\n');
        a.append("#SBATCH --output=").append(dir.resolve("logs")).append("/%A_%a.out\n");
        a.append("set -euo pipefail\n");
        for (String s : setup) a.append(s).append('\n');
        a.append(": \"${SLURM_ARRAY_TASK_ID:?set SLURM_ARRAY_TASK_ID (0..").append(compositions - 1).append(")}\"\n");
        a.append("exec ").append(java).append(" --composition-index \"$SLURM_ARRAY_TASK_ID\" --ranks \"${SLURM_NTASKS:-")
                .append(cfg.ranks).append("}\"\n");
        StringBuilder m = new StringBuilder();
        m.append("#!/usr/bin/env bash\n");
        m.append("# Assembles ductility.csv and the maps from the per-composition results of the array job.\n");
        m.append("#SBATCH --job-name=monbta-ductility-merge\n#SBATCH --ntasks=1\n#SBATCH --time=00:30:00\n");
        if (!cfg.slurmPartition.isEmpty()) m.append("#SBATCH --partition=").append(cfg.slurmPartition).append('\n');
        if (!cfg.slurmAccount.isEmpty()) m.append("#SBATCH --account=").append(cfg.slurmAccount).append('\n');
        m.append("#SBATCH --output=").append(dir.resolve("logs")).append("/merge_%j.out\n");
        m.append("set -euo pipefail\n");
        for (String s : setup) m.append(s).append('\n');
        m.append("exec ").append(java).append(" --merge\n");
        Path arr = dir.resolve("ductility-array.sh"), mer = dir.resolve("ductility-merge.sh");
        AtomicFiles.writeString(arr, a.toString());
        AtomicFiles.writeString(mer, m.toString());
        try {
            Files.createDirectories(dir.resolve("logs"));
            // executable bits are a convenience (sbatch does not need them); only POSIX file systems have them
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                for (Path p : List.of(arr, mer)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException ignored) {
            // as above: a convenience
        }
        return List.of(arr, mer);
    }

    /** Sources the repository's JDK and LAMMPS environment when the jar sits in {@code <repo>/java/target}. */
    static List<String> defaultSetup(Path jar) {
        List<String> out = new ArrayList<>();
        Path target = jar.toAbsolutePath().getParent();
        Path repo = target != null && target.getParent() != null ? target.getParent().getParent() : null;
        if (repo != null && Files.isRegularFile(repo.resolve("scripts/env.sh"))) {
            out.add("export MTPJAVA_ROOT=" + sh(repo.toString()));
            out.add("source \"$MTPJAVA_ROOT/scripts/env.sh\"            # JDK >= 25");
            out.add("source \"$MTPJAVA_ROOT/build/lammps/env.sh\"       # lmp_mtpjava, plugin (scripts/lammps-build.sh)");
        } else {
            out.add("# set JAVA_HOME (JDK >= 25) and MTPJAVA_LMP / MTPJAVA_PLUGIN here (see docs/lammps.md)");
        }
        return out;
    }

    static String sh(String s) {
        if (s.matches("[A-Za-z0-9_./+\\-=:@%,]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
