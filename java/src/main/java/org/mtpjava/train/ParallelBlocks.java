package org.mtpjava.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs numbered blocks of work on a fixed set of threads (dynamic assignment). Results must be stored per block
 * and combined by the caller in block order; block boundaries come from the data alone ({@link #partition}), so
 * sums are independent of the thread count.
 */
final class ParallelBlocks implements AutoCloseable {
    /** Work on one block, with the index of the executing thread (0..threads-1). */
    @FunctionalInterface
    interface BlockTask {
        void run(int thread, int block);
    }

    private final int threads;
    private final ExecutorService pool;

    ParallelBlocks(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int threads() { return threads; }

    void run(int blocks, BlockTask task) {
        if (pool == null || blocks <= 1) {
            for (int b = 0; b < blocks; b++) task.run(0, b);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            final int thread = t;
            futures.add(pool.submit(() -> {
                int b;
                while ((b = next.getAndIncrement()) < blocks) task.run(thread, b);
            }));
        }
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (failure == null) {
                    if (c instanceof RuntimeException re) failure = re;
                    else if (c instanceof Error er) throw er;
                    else failure = new IllegalStateException(c);
                }
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * Contiguous blocks of configurations with roughly equal work (atoms + neighbour pairs), at most
     * {@code maxBlocks}; returns block starts plus the end (length blocks + 1).
     */
    static int[] partition(TrainingSet set, int maxBlocks) {
        int n = set.size();
        if (n == 0) return new int[]{0, 0};
        double[] work = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            work[k] = set.configuration(k).size() + set.neighbours(k).pairs() + 1;
            total += work[k];
        }
        int blocks = Math.min(n, maxBlocks);
        double target = total / blocks;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        double acc = 0;
        for (int k = 0; k < n; k++) {
            acc += work[k];
            if (acc >= target && k + 1 < n && starts.size() < blocks) {
                starts.add(k + 1);
                acc = 0;
            }
        }
        starts.add(n);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
