package io.verger.plist;

/** The two property-list encodings Apple devices speak. */
public enum PlistFormat {
    /** XML with Apple's {@code <!DOCTYPE plist ...>}, UTF-8. What devices send and expect by default. */
    XML,
    /** Apple's binary format, {@code bplist00}. */
    BINARY
}
