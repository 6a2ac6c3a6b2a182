package io.verger.policy.engine.internal;

/** Compares OS versions as a policy filter's {@code minOsVersion} needs. */
final class OsVersion {

    private OsVersion() {
    }

    /** @return {@code true} if {@code version} is at least {@code minimum}, comparing dotted numbers */
    static boolean atLeast(String version, String minimum) {
        if (version == null) {
            return false;
        }
        String[] a = version.split("\\.");
        String[] b = minimum.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? parse(a[i]) : 0;
            int y = i < b.length ? parse(b[i]) : 0;
            if (x != y) {
                return x > y;
            }
        }
        return true;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
