package io.verger.simulator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "jmh", description = "Runs the JMH hot-path benchmarks (plist decode/encode, Mdm-Signature verification, next-command lookup on embedded Derby); "
        + "arguments go to JMH, e.g. 'jmh -f 1 -wi 3 -i 5 Plist'.")
public final class JmhCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(String[]::new));
        return 0;
    }
}
