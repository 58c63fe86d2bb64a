package org.mtpjava.compress;

import org.mtpjava.model.Potential;
import org.mtpjava.train.Bfgs;
import org.mtpjava.train.Optimizer;
import org.mtpjava.train.ParameterMap;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Compressed training on top of {@link org.mtpjava.train.Trainer}: parameter maps theta = Phi(x) for each method.
 * x = [factors | species | moment coefficients] (R-MF: [C in embedded coordinates | species | moments]).
 */
public final class CompressedTraining {
    private CompressedTraining() {}

    /**
     * The trainer hook for a spec: given the trainer's potential (species already set up) it attaches the
     * factorised radial tensor (kept if the potential already has one of this kind; truncated SVD / TT-SVD of a
     * trained plain potential; random for an untrained one) and returns the map.
     */
    public static Function<Potential, ParameterMap> factory(CompressionSpec spec, long seed, Consumer<String> log) {
        return p -> {
            attach(p, spec, seed, log);
            return map(p, spec, log);
        };
    }

    /** Attaches the representation as {@link #factory} does. */
    public static void attach(Potential p, CompressionSpec spec, long seed, Consumer<String> log) {
        Factorisation shape = spec.shape(p);
        if (p.radialRepresentation() != null) {
            if (!(p.radialRepresentation() instanceof Factorisation f) || !f.method().equals(spec.representationMethod())) {
                throw new IllegalArgumentException("--compress " + spec.text() + ": the potential is already compressed by "
                        + p.radialRepresentation().method() + "; expand it first or use --compress " + p.radialRepresentation().method() + ":...");
            }
            f.absorb(p.radialCoefficients());
            p.setRadialRepresentation(f);
            log.accept("compressed potential kept as it is: " + f.describe());
            return;
        }
        if (p.isTrained()) {
            double[] c = p.radialCoefficients().clone();
            shape.fit(c);
            p.setRadialRepresentation(shape);
            log.accept("compressed the trained potential by " + (shape instanceof TensorTrain ? "TT-SVD" : "truncated SVD")
                    + " (relative error " + String.format(Locale.ROOT, "%.3e", relativeError(c, shape.dense())) + "): " + shape.describe());
        } else {
            shape.randomise(new Random(seed));
            p.setRadialRepresentation(shape);
            log.accept("random factors (seed " + seed + "): " + shape.describe());
        }
    }

    static double relativeError(double[] ref, double[] x) {
        double e = 0, r = 0;
        for (int i = 0; i < ref.length; i++) {
            e += (ref[i] - x[i]) * (ref[i] - x[i]);
            r += ref[i] * ref[i];
        }
        return Math.sqrt(e / Math.max(r, 1e-300));
    }

    static ParameterMap map(Potential p, CompressionSpec spec, Consumer<String> log) {
        return switch (spec.method()) {
            case MF, TF -> new FactorMap(p, log);
            case RMF -> new ManifoldMap(p, log);
            case MFRA -> new MfraMap(p, spec, log);
            case TFRA -> new TfraMap(p, spec, log);
        };
    }

    static int linearCount(Potential p) { return p.speciesCount() + p.basis().scalarCount(); }

    static void writeLinear(Potential p, double[] x, int off) {
        double[] s = p.speciesCoefficients(), m = p.momentCoefficients();
        System.arraycopy(s, 0, x, off, s.length);
        System.arraycopy(m, 0, x, off + s.length, m.length);
    }

    static void readLinear(Potential p, double[] x, int off) {
        double[] s = p.speciesCoefficients(), m = p.momentCoefficients();
        System.arraycopy(x, off, s, 0, s.length);
        System.arraycopy(x, off + s.length, m, 0, m.length);
    }

    /** Makes the factors represent the potential's dense c (absorbing LinOptimize) and c exactly Phi(factors). */
    static Factorisation sync(Potential p, Consumer<String> log) {
        Factorisation f = (Factorisation) p.radialRepresentation();
        Factorisation.Absorbed a = f.absorb(p.radialCoefficients());
        if (a == Factorisation.Absorbed.PROJECTED) {
            log.accept("warning: the radial coefficients were changed outside the factorisation; projected back onto " + f.describe());
        }
        f.materialise(p.radialCoefficients());
        return f;
    }

    // ------------------------------------------------------------------------------------------------

    /** MF, TF (and the base of MFRA/TFRA): BFGS on [factors | linear]. */
    static class FactorMap implements ParameterMap {
        final Potential potential;
        final Consumer<String> log;
        final int linear;

        FactorMap(Potential p, Consumer<String> log) {
            this.potential = p;
            this.log = log;
            this.linear = linearCount(p);
        }

        Factorisation rep(Potential p) { return (Factorisation) p.radialRepresentation(); }

        @Override public int size() { return rep(potential).storedCount() + linear; }

        @Override public double[] current(Potential p) {
            Factorisation f = sync(p, log);
            int nf = f.storedCount();
            double[] x = Arrays.copyOf(f.factors(), nf + linear);
            writeLinear(p, x, nf);
            return x;
        }

        @Override public void apply(double[] x, Potential p) {
            Factorisation f = rep(p);
            f.setFactors(x, 0);
            f.materialise(p.radialCoefficients());
            readLinear(p, x, f.storedCount());
            p.setTrained(true);
        }

        @Override public void pullBack(Potential p, double[] gTheta, double[] gx) {
            Factorisation f = rep(p);
            f.pullBack(gTheta, gx, 0);
            System.arraycopy(gTheta, p.radialCoefficients().length, gx, f.storedCount(), linear);
        }

        @Override public String describe(Potential p) {
            Factorisation f = rep(p);
            return f.describe() + "; training " + size() + " numbers (" + f.storedCount() + " factor entries + " + linear + " linear)";
        }
    }

    /** R-MF: Riemannian BFGS in embedded coordinates [C | linear]. */
    static final class ManifoldMap implements ParameterMap {
        final Potential potential;
        final Consumer<String> log;
        final int linear;

        ManifoldMap(Potential p, Consumer<String> log) {
            this.potential = p;
            this.log = log;
            this.linear = linearCount(p);
        }

        FixedRankMatrix rep(Potential p) { return (FixedRankMatrix) p.radialRepresentation(); }

        @Override public int size() { FixedRankMatrix f = rep(potential); return f.rows() * f.cols() + linear; }

        @Override public double[] current(Potential p) {
            FixedRankMatrix f = (FixedRankMatrix) sync(p, log);
            int mn = f.rows() * f.cols();
            double[] x = Arrays.copyOf(f.matrix(), mn + linear);
            writeLinear(p, x, mn);
            return x;
        }

        @Override public void apply(double[] x, Potential p) {
            FixedRankMatrix f = rep(p);
            int mn = f.rows() * f.cols();
            f.setMatrix(Arrays.copyOf(x, mn));
            f.materialise(p.radialCoefficients());
            readLinear(p, x, mn);
            p.setTrained(true);
        }

        @Override public void pullBack(Potential p, double[] gTheta, double[] gx) {
            FixedRankMatrix f = rep(p);
            double[] g = f.matrixOf(gTheta);
            System.arraycopy(g, 0, gx, 0, g.length);
            System.arraycopy(gTheta, p.radialCoefficients().length, gx, g.length, linear);
        }

        @Override public Optimizer newOptimizer() { return new RiemannianBfgs(rep(potential), linear); }

        @Override public String describe(Potential p) {
            return rep(p).describe() + "; Riemannian BFGS in embedded coordinates (" + size() + " numbers, manifold x R^" + linear + ")";
        }
    }

    // ------------------------------------------------------------------------------------------------
    // rank augmentation

    /**
     * h = argmin phi(h) over h &lt;= 0 for phi(h) = L(C + h D) with phi'(0) &gt; 0: bracket by expansion (x3) or
     * shrinking (/5) from h = -t0, then parabolic refinement; 0 if no trial decreased the loss.
     */
    static double lineSearchH(DoubleUnaryOperator phi, double f0, double t0, Consumer<String> log) {
        double[] ts = new double[40], fs = new double[40];
        int n = 0;
        ts[n] = 0; fs[n++] = f0;
        double t = t0, ft = phi.applyAsDouble(-t);
        ts[n] = t; fs[n++] = ft;
        if (ft < f0) {
            for (int k = 0; k < 8; k++) {
                double t2 = 3 * t, f2 = phi.applyAsDouble(-t2);
                ts[n] = t2; fs[n++] = f2;
                if (!(f2 < ft)) break;
                t = t2;
                ft = f2;
            }
        } else {
            for (int k = 0; k < 10 && !(ft < f0); k++) {
                t /= 5;
                ft = phi.applyAsDouble(-t);
                ts[n] = t; fs[n++] = ft;
            }
        }
        // parabolic refinement around the best point
        for (int it = 0; it < 2; it++) {
            int best = argmin(fs, n);
            double tb = ts[best];
            // neighbours in t among the evaluated points
            int lo = -1, hi = -1;
            for (int i = 0; i < n; i++) {
                if (ts[i] < tb && (lo < 0 || ts[i] > ts[lo])) lo = i;
                if (ts[i] > tb && (hi < 0 || ts[i] < ts[hi])) hi = i;
            }
            if (lo < 0 || hi < 0) break;
            double a = ts[lo], b = tb, c = ts[hi], fa = fs[lo], fb = fs[best], fc = fs[hi];
            double num = (b - a) * (b - a) * (fb - fc) - (b - c) * (b - c) * (fb - fa);
            double den = (b - a) * (fb - fc) - (b - c) * (fb - fa);
            if (den == 0) break;
            double tn = b - 0.5 * num / den;
            if (!(tn > a && tn < c) || Math.abs(tn - b) < 1e-6 * b) break;
            ts[n] = tn;
            fs[n++] = phi.applyAsDouble(-tn);
        }
        int best = argmin(fs, n);
        log.accept(String.format(Locale.ROOT, "  line search for h: %d loss evaluations, h = %.4e, loss %.8e -> %.8e", n - 1, -ts[best], f0, fs[best]));
        return -ts[best];
    }

    private static int argmin(double[] f, int n) {
        int b = 0;
        for (int i = 1; i < n; i++) if (f[i] < f[b]) b = i;
        return b;
    }

    /** MFRA exactly as the seed talk: every s iterations, G = dL/dC, top dr singular triples, line search for h, augment. */
    static final class MfraMap extends FactorMap {
        final int rmax, every, step;
        private int[] indexMap; // old x index -> new x index after the last augmentation

        MfraMap(Potential p, CompressionSpec spec, Consumer<String> log) {
            super(p, log);
            this.rmax = Math.min(spec.rmax(), Math.min(((MatrixFactorisation) rep(p)).rows(), ((MatrixFactorisation) rep(p)).cols()));
            this.every = spec.every();
            this.step = spec.step();
        }

        @Override public boolean afterIteration(int iteration, Potential p, LossProbe probe, Consumer<String> lg) {
            MatrixFactorisation f = (MatrixFactorisation) rep(p);
            if (iteration == 0 || iteration % every != 0 || f.rank() >= rmax) return false;
            int r = f.rank(), dr = Math.min(step, rmax - r), m = f.rows(), n = f.cols();
            double[] c0 = p.radialCoefficients().clone();
            double[] gTheta = new double[p.parameterCount()];
            double f0 = probe.evaluate(gTheta);
            double[] g = f.matrixOf(gTheta);
            Dense.Svd s = Dense.svd(g, m, n);
            double[] ud = s.u(dr), vd = s.v(dr);
            double[] dmat = new double[m * n];
            for (int k = 0; k < dr; k++) {
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) dmat[i * n + j] += ud[i * dr + k] * s.s()[k] * vd[j * dr + k];
            }
            double[] dDense = new double[c0.length];
            f.denseOf(dmat, dDense);
            double dn = Dense.norm(dDense), cn = Dense.norm(c0);
            lg.accept(String.format(Locale.ROOT, "MFRA at BFGS iteration %d: rank %d -> %d; top singular values of dL/dC %s",
                    iteration, r, r + dr, Arrays.toString(Arrays.copyOf(s.s(), Math.min(s.p(), dr + 2)))));
            double[] c = p.radialCoefficients();
            double h = lineSearchH(hh -> {
                for (int i = 0; i < c.length; i++) c[i] = c0[i] + hh * dDense[i];
                return probe.evaluate(null);
            }, f0, 1e-2 * Math.max(cn, 1e-12) / Math.max(dn, 1e-300), lg);
            // U := [U | h U_d S_d^1/2], V := [V | V_d S_d^1/2]
            double[] du = new double[m * dr], dv = new double[n * dr];
            for (int k = 0; k < dr; k++) {
                double w = Math.sqrt(s.s()[k]);
                for (int i = 0; i < m; i++) du[i * dr + k] = h * ud[i * dr + k] * w;
                for (int j = 0; j < n; j++) dv[j * dr + k] = vd[j * dr + k] * w;
            }
            int oldSize = size();
            f.augment(du, dv, dr);
            f.materialise(p.radialCoefficients());
            // index map for carrying the inverse Hessian over
            indexMap = new int[oldSize];
            int nr = r + dr;
            for (int i = 0; i < m; i++) for (int k = 0; k < r; k++) indexMap[i * r + k] = i * nr + k;
            for (int j = 0; j < n; j++) for (int k = 0; k < r; k++) indexMap[m * r + j * r + k] = m * nr + j * nr + k;
            for (int l = 0; l < linear; l++) indexMap[(m + n) * r + l] = (m + n) * nr + l;
            lg.accept("  now " + f.describe());
            return true;
        }

        /** The old inverse Hessian in the old coordinates, identity for the new ones. */
        @Override public Optimizer resized(Optimizer old) {
            Bfgs b = new Bfgs(size());
            if (indexMap != null && old.size() == indexMap.length) {
                double[] ho = old.inverseHessian(), hn = b.inverseHessian();
                int no = old.size(), nn = b.size();
                for (int i = 0; i < no; i++) for (int j = 0; j < no; j++) hn[indexMap[i] * nn + indexMap[j]] = ho[i * no + j];
            }
            return b;
        }

        @Override public String describe(Potential p) {
            return super.describe(p) + "; rank augmentation every " + every + " iterations by " + step + " up to rank " + rmax;
        }
    }

    /**
     * Rank-adaptive TF: every s iterations, for each bond b that may grow, orthogonalise the train around b and take
     * the gradient with respect to the supercore W_b = G_b G_{b+1}; raise the bond whose leading singular value
     * squared per added parameter is largest, by the top singular triples with a line search for h (as MFRA, in the
     * supercore's isometric frame). BFGS restarts with a fresh inverse Hessian (the gauge changed).
     */
    static final class TfraMap extends FactorMap {
        final int[] rmax;
        final int every, step, budget;

        TfraMap(Potential p, CompressionSpec spec, Consumer<String> log) {
            super(p, log);
            this.rmax = spec.tfraMax((TensorTrain) rep(p));
            this.every = spec.every();
            this.step = spec.step();
            this.budget = spec.budget();
        }

        @Override public boolean afterIteration(int iteration, Potential p, LossProbe probe, Consumer<String> lg) {
            if (iteration == 0 || iteration % every != 0) return false;
            TensorTrain tt = (TensorTrain) rep(p);
            double[] c0 = p.radialCoefficients().clone();
            double[] gTheta = new double[p.parameterCount()];
            int bestBond = -1, bestDr = 0;
            double bestScore = -1;
            double f0 = Double.NaN;
            TensorTrain bestFrame = null;
            Dense.Svd bestSvd = null;
            StringBuilder scores = new StringBuilder();
            for (int b = 1; b < tt.length(); b++) {
                int dr = Math.min(step, rmax[b - 1] - tt.rank(b));
                if (dr < 1) continue;
                int cost = dr * tt.augmentationCost(b);
                if (tt.parameterCount() + cost > budget) continue;
                if (Double.isNaN(f0)) f0 = probe.evaluate(gTheta);
                TensorTrain frame = tt.copy();
                frame.orthogonaliseAround(b);
                int[] sh = frame.supercoreShape(b);
                Dense.Svd s = Dense.svd(frame.supercoreGradient(b, Arrays.copyOf(gTheta, c0.length)), sh[0], sh[1]);
                double gain = 0;
                for (int k = 0; k < Math.min(dr, s.p()); k++) gain += s.s()[k] * s.s()[k];
                double score = gain / cost;
                scores.append(String.format(Locale.ROOT, " bond %d: sigma1 %.3e, +%d params, score %.3e;", b, s.s()[0], cost, score));
                if (score > bestScore) {
                    bestScore = score;
                    bestBond = b;
                    bestDr = Math.min(dr, s.p());
                    bestFrame = frame;
                    bestSvd = s;
                }
            }
            if (bestBond < 0) return false;
            int b = bestBond, dr = bestDr;
            int[] sh = bestFrame.supercoreShape(b);
            int rows = sh[0], cols = sh[1];
            double[] ua = new double[rows * dr], vb = new double[dr * cols];
            for (int k = 0; k < dr; k++) {
                double w = Math.sqrt(bestSvd.s()[k]);
                for (int i = 0; i < rows; i++) ua[i * dr + k] = bestSvd.u()[i * bestSvd.p() + k] * w;
                for (int j = 0; j < cols; j++) vb[k * cols + j] = bestSvd.v()[j * bestSvd.p() + k] * w;
            }
            // direction D = Left (U_d S_d V_d^T) Right in dense form: augmented train minus the current one
            TensorTrain probeTt = bestFrame.copy();
            probeTt.augment(b, ua, vb, dr);
            double[] d1 = probeTt.dense(), d0 = bestFrame.dense();
            double[] dDense = new double[c0.length];
            for (int i = 0; i < dDense.length; i++) dDense[i] = d1[i] - d0[i];
            lg.accept(String.format(Locale.ROOT, "TFRA at BFGS iteration %d: raising bond %d (%s) by %d;%s", iteration, b,
                    Arrays.toString(tt.ranks()), dr, scores));
            double[] c = p.radialCoefficients();
            double dn = Dense.norm(dDense), cn = Dense.norm(d0);
            double h = lineSearchH(hh -> {
                for (int i = 0; i < c.length; i++) c[i] = d0[i] + hh * dDense[i];
                return probe.evaluate(null);
            }, f0, 1e-2 * Math.max(cn, 1e-12) / Math.max(dn, 1e-300), lg);
            for (int i = 0; i < ua.length; i++) ua[i] *= h;
            bestFrame.augment(b, ua, vb, dr);
            p.setRadialRepresentation(bestFrame);
            lg.accept("  now " + bestFrame.describe());
            return true;
        }

        @Override public String describe(Potential p) {
            return super.describe(p) + "; rank adaptation every " + every + " iterations by " + step + " up to ranks "
                    + Arrays.toString(rmax) + (budget < Integer.MAX_VALUE ? " and " + budget + " radial parameters" : "");
        }
    }
}
