package io.verger.simulator.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The enrolled fleet, kept in a JSON file so later runs reuse the devices instead of enrolling again. The file is
 * written to a temporary sibling and moved into place, so an interrupted run never leaves half a file.
 */
public final class FleetState {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** The file's shape: for which server the devices were enrolled, and the devices. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record File(int version, String server, List<EnrolledDevice> devices) {
    }

    private FleetState() {
    }

    public static List<EnrolledDevice> load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        File f = JSON.readValue(file.toFile(), File.class);
        if (f.version() != 1) {
            throw new IOException(file + ": state file version " + f.version() + ", this simulator reads version 1");
        }
        return new ArrayList<>(f.devices() == null ? List.of() : f.devices());
    }

    public static void save(Path file, String server, List<EnrolledDevice> devices) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), new File(1, server, devices));
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
