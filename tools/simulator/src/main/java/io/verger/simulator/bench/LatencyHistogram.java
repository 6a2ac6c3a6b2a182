package io.verger.simulator.bench;

/**
 * Latencies in nanoseconds in log-linear buckets, as HdrHistogram does: 128 buckets per power of two, so every
 * recorded value is known to within 1% at a fixed 60 KB, whatever the count. Not thread-safe: one per driver
 * thread, merged at the end.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        count++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        long top = v >>> (e - SUB_BITS);
        return (e - SUB_BITS + 1) * SUB + (int) (top - SUB);
    }

    /** The highest value that falls into bucket {@code idx}. */
    static long upperBound(int idx) {
        if (idx < SUB) {
            return idx;
        }
        int shift = idx / SUB - 1;
        long top = idx % SUB + SUB;
        return ((top + 1) << shift) - 1;
    }

    public void merge(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    public long max() {
        return max;
    }

    public long min() {
        return count == 0 ? 0 : min;
    }

    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The value at {@code percentile} (0–100): the smallest recorded value such that that share of values are at
     * or below it, to bucket precision (reported as the bucket's upper bound, never above the maximum).
     */
    public long percentile(double percentile) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.max(min(), Math.min(upperBound(i), max));
            }
        }
        return max;
    }
}
