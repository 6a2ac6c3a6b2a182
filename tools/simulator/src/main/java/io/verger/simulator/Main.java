package io.verger.simulator;

import io.verger.simulator.cli.BenchCommand;
import io.verger.simulator.cli.CaCommand;
import io.verger.simulator.cli.EnrollCommand;
import io.verger.simulator.cli.JmhCommand;
import io.verger.simulator.cli.PushCertCommand;
import io.verger.simulator.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The simulator's command line: {@code java -jar verger-simulator.jar <command>}. */
@Command(name = "verger-simulator", mixinStandardHelpOptions = true, version = "verger-simulator 0.1.0",
        description = "Simulates a fleet of Apple devices against an MDM server (Verger, NanoMDM, …) and measures it.",
        subcommands = {CaCommand.class, PushCertCommand.class, EnrollCommand.class, RunCommand.class, BenchCommand.class, JmhCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
            if (System.getenv("SIMULATOR_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        }).execute(args));
    }
}
