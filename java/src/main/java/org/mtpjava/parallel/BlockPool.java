package org.mtpjava.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs numbered blocks of work on a fixed set of daemon threads, each block on whichever thread is free next.
 * Callers keep per-thread workspaces indexed by the thread number and store results per block, then combine
 * them in block order, so their sums do not depend on the thread count. With one thread everything runs on
 * the caller's thread.
 */
public final class BlockPool implements AutoCloseable {
    /** Work on one block, with the number of the executing thread (0..threads-1). */
    @FunctionalInterface
    public interface BlockTask {
        void run(int thread, int block);
    }

    private final int threads;
    private final ExecutorService pool;

    public BlockPool(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public int threads() { return threads; }

    /** Runs blocks 0..blocks-1; waits for all, then rethrows the first failure. */
    public void run(int blocks, BlockTask task) {
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
                if (c instanceof Error er) throw er;
                if (failure == null) failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
            }
        }
        if (failure != null) throw failure;
    }

    @Override public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
