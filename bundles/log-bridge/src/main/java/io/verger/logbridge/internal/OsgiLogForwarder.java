package io.verger.logbridge.internal;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundles that log through the OSGi Log Service (SCR when a component fails to activate, Metatype, ConfigAdmin,
 * the framework's own errors) would otherwise log into a memory buffer nobody reads. This sends their entries to
 * slf4j, i.e. to the console and logs/verger.log. The framework's own event chatter (bundle/service events) is
 * dropped below WARN.
 */
@Component(immediate = true)
public final class OsgiLogForwarder implements LogListener {

    private final LogReaderService reader;

    @Activate
    public OsgiLogForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        String name = entry.getLoggerName();
        boolean event = name != null && name.startsWith("Events.");
        Logger log = LoggerFactory.getLogger(loggerName(entry));
        String message = message(entry);
        Throwable t = entry.getException();
        switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> log.error(message, t);
            case WARN -> log.warn(message, t);
            case INFO -> {
                if (!event) {
                    log.info(message, t);
                }
            }
            case DEBUG -> {
                if (!event) {
                    log.debug(message, t);
                }
            }
            default -> {
                if (!event) {
                    log.trace(message, t);
                }
            }
        }
    }

    private static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name != null && !name.isEmpty() && !"LogService".equals(name)) {
            return name;
        }
        Bundle b = entry.getBundle();
        return b != null && b.getSymbolicName() != null ? b.getSymbolicName() : "osgi";
    }

    private static String message(LogEntry entry) {
        Bundle b = entry.getBundle();
        String origin = b == null ? "" : "[" + b.getSymbolicName() + "] ";
        return origin + entry.getMessage();
    }
}
