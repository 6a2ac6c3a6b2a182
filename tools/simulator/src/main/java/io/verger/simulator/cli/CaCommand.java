package io.verger.simulator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.verger.simulator.fleet.DeviceCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "Creates a device CA (device-ca.crt, device-ca.key) for the server to trust, e.g. VERGER_TRUSTED_CAS=<out>/device-ca.crt.")
public final class CaCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "directory to write device-ca.crt and device-ca.key into")
    Path out;

    @Option(names = "--name", defaultValue = "Verger Simulator Device CA", description = "the CA's common name")
    String name;

    @Override
    public Integer call() throws Exception {
        DeviceCa.create(name).writeTo(out);
        System.out.println(out.resolve(DeviceCa.CERT_FILE));
        return 0;
    }
}
