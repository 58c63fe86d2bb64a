package org.mtpjava.bench;

import org.mtpjava.TestData;
import org.mtpjava.eval.EfsCalculator;
import org.mtpjava.io.CfgFiles;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Configuration;
import org.mtpjava.model.Potential;
import org.mtpjava.neighbours.NeighbourList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Energy + forces + virial of the ~10k-atom timing configurations (reference-numbers.md §6.1), neighbour list
 * prebuilt, as MLIP-3's timing log measures it. Run with {@code scripts/jmh.sh}; divide the time per operation
 * by the atom count for microseconds per atom.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class EfsBenchmark {
    @Param({"trained10", "NbMoTaW2021", "MoTaNbTi2022", "SiO"})
    public String potential;
    @Param({"1"})
    public int threads;

    EfsCalculator calc;
    Configuration cfg;
    NeighbourList list;

    @Setup(Level.Trial)
    public void setUp() {
        String pot, input;
        switch (potential) {
            case "trained10" -> { pot = "reference/mlip3_training/trained10_MoNbTa.almtp"; input = "MoNbTa9826_timing_NbMoTaW_types"; }
            case "NbMoTaW2021" -> { pot = "monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"; input = "MoNbTa9826_timing_NbMoTaW_types"; }
            case "MoTaNbTi2022" -> { pot = "other_published_mtp_maml/MoTaNbTi_mtp.2022.02_quaternary.mtp"; input = "MoNbTa9826_timing_MoTaNbTi_types"; }
            case "SiO" -> { pot = "lammps_ml_mtp/SiO.mtp"; input = "quartz10890_timing"; }
            default -> throw new IllegalArgumentException(potential);
        }
        Potential p = PotentialFiles.read(TestData.data(pot));
        cfg = CfgFiles.read(TestData.data("reference/inputs/" + input + ".cfg.gz")).get(0);
        list = NeighbourList.build(cfg, p.cutoff());
        calc = new EfsCalculator(p, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() { calc.close(); }

    @Benchmark
    public double energyForcesStress() {
        return calc.compute(cfg, list).energy();
    }
}
