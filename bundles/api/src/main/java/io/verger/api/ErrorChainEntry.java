package io.verger.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One item of the {@code ErrorChain} a device sends with an {@code Error} status; the first item is
 * the outermost error.
 *
 * @param code                 {@code ErrorCode}
 * @param domain               {@code ErrorDomain}, e.g. {@code MCProfileErrorDomain}; never {@code null}, may be empty
 * @param localizedDescription {@code LocalizedDescription}, in the device's language; never {@code null}, may be empty
 * @param usEnglishDescription {@code USEnglishDescription}, or {@code null} when the device sent none
 */
public record ErrorChainEntry(long code, String domain, String localizedDescription, String usEnglishDescription) {

    /** @throws NullPointerException if {@code domain} or {@code localizedDescription} is {@code null} */
    public ErrorChainEntry {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(localizedDescription, "localizedDescription");
    }

    /**
     * Reads an {@code ErrorChain} array as a device sends it. Items that are not dictionaries are
     * skipped, a missing {@code ErrorCode} reads as 0 and a missing description as an empty string:
     * a device's error report is kept even when it is incomplete.
     *
     * @param errorChain the value of the report's {@code ErrorChain} key, or {@code null} when absent
     * @return the entries in the device's order; empty when {@code errorChain} is {@code null} or empty
     */
    public static List<ErrorChainEntry> fromPlist(List<?> errorChain) {
        if (errorChain == null || errorChain.isEmpty()) {
            return List.of();
        }
        List<ErrorChainEntry> entries = new ArrayList<>(errorChain.size());
        for (Object item : errorChain) {
            if (item instanceof Map<?, ?> map) {
                Object code = map.get("ErrorCode");
                entries.add(new ErrorChainEntry(
                        code instanceof Number n ? n.longValue() : 0L,
                        string(map.get("ErrorDomain"), ""),
                        string(map.get("LocalizedDescription"), ""),
                        string(map.get("USEnglishDescription"), null)));
            }
        }
        return Collections.unmodifiableList(entries);
    }

    private static String string(Object value, String absent) {
        return value instanceof String s ? s : absent;
    }
}
