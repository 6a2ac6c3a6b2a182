package io.verger.simulator.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.verger.simulator.fleet.EnrolledDevice;

/** The plist codec on what the server decodes and encodes per request: check-ins, reports, commands. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlistBenchmark {

    byte[] idleXml;
    byte[] authenticateXml;
    byte[] deviceInformationXml;
    byte[] deviceInformationBinary;
    Map<String, Object> command;
    Map<String, Object> deviceInformation;

    @Setup
    public void setup() throws Exception {
        EnrolledDevice d = Fixtures.device();
        idleXml = Fixtures.PLIST.encodeXml(Fixtures.idle(d));
        authenticateXml = Fixtures.PLIST.encodeXml(Fixtures.authenticate(d));
        deviceInformation = Fixtures.deviceInformationReport(d);
        deviceInformationXml = Fixtures.PLIST.encodeXml(deviceInformation);
        deviceInformationBinary = Fixtures.PLIST.encodeBinary(deviceInformation);
        command = Map.of("CommandUUID", "0A1B2C3D-0000-4000-8000-000000000001", "Command",
                Map.of("RequestType", "DeviceInformation", "Queries", java.util.List.of("DeviceName", "OSVersion", "SerialNumber")));
    }

    @Benchmark
    public Object decodeIdleXml() {
        return Fixtures.PLIST.decodeDictionary(idleXml);
    }

    @Benchmark
    public Object decodeAuthenticateXml() {
        return Fixtures.PLIST.decodeDictionary(authenticateXml);
    }

    @Benchmark
    public Object decodeDeviceInformationReportXml() {
        return Fixtures.PLIST.decodeDictionary(deviceInformationXml);
    }

    @Benchmark
    public Object decodeDeviceInformationReportBinary() {
        return Fixtures.PLIST.decodeDictionary(deviceInformationBinary);
    }

    @Benchmark
    public byte[] encodeCommandXml() {
        return Fixtures.PLIST.encodeXml(command);
    }

    @Benchmark
    public byte[] encodeDeviceInformationReportXml() {
        return Fixtures.PLIST.encodeXml(deviceInformation);
    }
}
