package io.verger.simulator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static void assertWithinOnePercent(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected / 100 + 1, "expected ~" + expected + " but was " + actual);
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinOnePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long us = 1; us <= 10_000; us++) {
            h.record(us * 1_000);
        }
        assertEquals(10_000, h.count());
        assertWithinOnePercent(5_000_000, h.percentile(50));
        assertWithinOnePercent(9_000_000, h.percentile(90));
        assertWithinOnePercent(9_900_000, h.percentile(99));
        assertEquals(10_000_000, h.percentile(100));
        assertEquals(10_000_000, h.max());
        assertEquals(1_000, h.min());
    }

    @Test
    void aFewSlowRequestsShowInP99ButNotInP50() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 980; i++) {
            h.record(200_000);
        }
        for (int i = 0; i < 20; i++) {
            h.record(50_000_000);
        }
        assertWithinOnePercent(200_000, h.percentile(50));
        assertWithinOnePercent(200_000, h.percentile(98));
        assertWithinOnePercent(50_000_000, h.percentile(99));
    }

    @Test
    void smallValuesAreExactAndBucketsNeverReportAboveTheMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(5);
        h.record(100);
        assertEquals(5, h.percentile(50));
        assertEquals(100, h.percentile(100));
        LatencyHistogram one = new LatencyHistogram();
        one.record(1_234_567);
        assertEquals(1_234_567, one.percentile(99.9));
    }

    @Test
    void mergedHistogramsCountBoth() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            a.record(1_000_000);
            b.record(3_000_000);
        }
        a.merge(b);
        assertEquals(200, a.count());
        assertWithinOnePercent(1_000_000, a.percentile(50));
        assertWithinOnePercent(3_000_000, a.percentile(51));
        assertEquals(2_000_000, a.mean(), 1);
    }

    @Test
    void everyBucketHoldsTheValuesThatMapToIt() {
        for (long v : new long[] {0, 1, 127, 128, 255, 256, 1000, 65_535, 1L << 40, Long.MAX_VALUE / 3}) {
            int idx = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.upperBound(idx) >= v, "upper bound of bucket of " + v);
            assertTrue(idx == 0 || LatencyHistogram.upperBound(idx - 1) < v, "previous bucket ends below " + v);
        }
    }

    @Test
    void anEmptyHistogramReportsZero() {
        assertEquals(0, new LatencyHistogram().percentile(99));
    }
}
