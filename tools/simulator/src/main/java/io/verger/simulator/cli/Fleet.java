package io.verger.simulator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import io.verger.simulator.fleet.EnrolledDevice;
import io.verger.simulator.fleet.FleetState;

/** Loading the enrolled fleet and doing per-device CPU work (signing) on every core. */
final class Fleet {

    private Fleet() {
    }

    static List<EnrolledDevice> load(Path state, int wanted) throws Exception {
        List<EnrolledDevice> all = FleetState.load(state);
        if (all.isEmpty()) {
            throw new IllegalArgumentException(state + " holds no enrolled devices: run 'enroll' first");
        }
        if (wanted > all.size()) {
            throw new IllegalArgumentException(state + " holds " + all.size() + " devices, " + wanted + " asked for: enroll more first");
        }
        return wanted > 0 ? new ArrayList<>(all.subList(0, wanted)) : all;
    }

    /** {@code work(i)} for i in [0, n) on all cores, with a progress bar; results in order. */
    static <T> List<T> parallel(String label, int n, IntFunction<T> work) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Progress progress = new Progress(label, n)) {
            List<Future<T>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int fi = i;
                fs.add(pool.submit(() -> {
                    T t = work.apply(fi);
                    progress.step();
                    return t;
                }));
            }
            List<T> out = new ArrayList<>(n);
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
