package io.verger.simulator.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** A progress bar on stderr for long preparations and enrollments: done/total, rate, time left. */
final class Progress implements AutoCloseable {

    private final String label;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final long start = System.nanoTime();
    private final Thread painter;
    private final PrintStream err = System.err;
    private volatile boolean closed;

    Progress(String label, long total) {
        this.label = label;
        this.total = total;
        this.painter = new Thread(() -> {
            while (!closed) {
                paint();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "progress");
        painter.setDaemon(true);
        if (total > 0) {
            painter.start();
        }
    }

    void step() {
        done.incrementAndGet();
    }

    private synchronized void paint() {
        long d = done.get();
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = secs > 0 ? d / secs : 0;
        int width = 30;
        int filled = (int) (width * d / Math.max(1, total));
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.0fs", (total - d) / rate) : "?";
        err.printf(Locale.ROOT, "\r%s [%s%s] %d/%d  %.0f/s  ETA %s   ", label, "#".repeat(filled), " ".repeat(width - filled), d, total, rate, eta);
        err.flush();
    }

    @Override
    public void close() {
        if (total <= 0) {
            return;
        }
        closed = true;
        painter.interrupt();
        paint();
        err.println();
    }
}
