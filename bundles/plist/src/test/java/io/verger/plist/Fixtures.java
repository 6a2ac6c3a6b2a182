package io.verger.plist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

final class Fixtures {

    private Fixtures() {
    }

    /** An Authenticate check-in as an iPhone sends it (XML, Apple DOCTYPE). */
    static byte[] authenticate() {
        return resource("authenticate.plist");
    }

    /** An Acknowledged DeviceInformation report with nested dicts, arrays, dates, data, reals and integers. */
    static byte[] commandReport() {
        return resource("command-report.plist");
    }

    static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
