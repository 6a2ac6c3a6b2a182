package io.verger.itests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;

/** Where the built distribution is, a private copy of it, and free ports on 127.0.0.1. */
final class TestDirs {

    private TestDirs() {
    }

    static Path distribution() {
        Path dist = Path.of(System.getProperty("verger.dist", "../distribution/target/verger")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dist.resolve("bundle"))) {
            throw new IllegalStateException("no built distribution at " + dist + " (build the reactor first)");
        }
        return dist;
    }

    static Path testPlugin() {
        Path jar = Path.of(System.getProperty("verger.testplugin", "test-plugin/target/verger-itests-test-plugin-0.1.0-SNAPSHOT.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("test plugin bundle not built: " + jar);
        }
        return jar;
    }

    /** A fresh copy of the distribution (bin, conf, lib, bundle, empty deploy/data/logs) so tests never share state. */
    static Path copyOfDistribution(Path target) throws IOException {
        Path src = distribution();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = src.relativize(p);
                String top = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
                if (top.equals("data") || top.equals("logs") || top.equals("deploy")) {
                    if (rel.getNameCount() == 1) {
                        Files.createDirectories(target.resolve(rel));
                    }
                    continue;
                }
                Path dest = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path script = target.resolve("bin/verger");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(script);
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(script, perms);
        return target;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
