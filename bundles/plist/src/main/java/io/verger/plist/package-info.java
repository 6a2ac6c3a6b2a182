/**
 * Property-list codec: XML and binary ({@code bplist00}) plists to plain Java values and back.
 *
 * <p>Values are {@code Map<String,Object>} (insertion-ordered), {@code List<Object>}, {@code String},
 * {@code Long}, {@code Double}, {@code Boolean}, {@code byte[]} and {@link java.time.Instant}. Hostile
 * input (DTDs and entities, oversized or over-deep documents, truncated or cyclic binary plists) is
 * refused with a {@link io.verger.plist.PlistException} before it can cost file, network or
 * unbounded memory access.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.verger.plist;
