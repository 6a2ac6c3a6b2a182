package io.verger.storage.jpa.internal;

/** What differs between the databases this bundle supports. */
enum Dialect {
    DERBY("derby", "Derby"),
    POSTGRESQL("postgresql", "PostgreSQL");

    /** the folder of this dialect's migration scripts */
    final String scripts;
    /** EclipseLink's {@code eclipselink.target-database} */
    final String eclipseLinkPlatform;

    Dialect(String scripts, String eclipseLinkPlatform) {
        this.scripts = scripts;
        this.eclipseLinkPlatform = eclipseLinkPlatform;
    }

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:derby:") && !jdbcUrl.startsWith("jdbc:derby://")) {
            return DERBY;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported storage URL " + redact(jdbcUrl)
                + "; expected jdbc:derby:<path> (embedded Derby) or jdbc:postgresql://host:port/database");
    }

    /** @return the URL without its query, which may carry a password */
    static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
    }

    /** @return {@code true} if the SQL state reports a duplicate key */
    static boolean isDuplicateKey(java.sql.SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** @return {@code true} for a deadlock, serialization failure or lock timeout, worth one more try */
    static boolean isTransient(java.sql.SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01") || state.equals("40XL1") || state.equals("40XL2"));
    }
}
