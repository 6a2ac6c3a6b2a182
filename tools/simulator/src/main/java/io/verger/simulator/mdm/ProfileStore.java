package io.verger.simulator.mdm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.cms.CMSSignedData;

import io.verger.plist.PlistCodec;

/**
 * The configuration profiles installed on one simulated device, keyed by PayloadIdentifier as on a real device:
 * installing a profile with an identifier already present replaces it.
 */
public final class ProfileStore {

    private static final PlistCodec PLIST = PlistCodec.withDefaults();
    private final Map<String, Map<String, Object>> profiles = new LinkedHashMap<>();

    /** A store holding the MDM enrollment profile, as every enrolled device has. */
    public static ProfileStore withEnrollmentProfile(String udid) {
        ProfileStore s = new ProfileStore();
        Map<String, Object> mdm = new LinkedHashMap<>();
        mdm.put("PayloadType", "com.apple.mdm");
        mdm.put("PayloadIdentifier", "io.verger.enroll.mdm");
        mdm.put("PayloadUUID", "00000000-0000-4000-8000-" + String.format("%012X", udid.hashCode() & 0xFFFFFFFFL));
        mdm.put("PayloadVersion", 1L);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("PayloadIdentifier", "io.verger.enroll");
        p.put("PayloadUUID", "00000000-0000-4000-8001-" + String.format("%012X", udid.hashCode() & 0xFFFFFFFFL));
        p.put("PayloadDisplayName", "MDM Enrollment");
        p.put("PayloadType", "Configuration");
        p.put("PayloadVersion", 1L);
        p.put("PayloadContent", List.of(mdm));
        s.profiles.put("io.verger.enroll", p);
        return s;
    }

    /**
     * Installs a profile as InstallProfile delivers it: a plist (XML or binary), possibly wrapped in CMS SignedData.
     *
     * @return the PayloadIdentifier
     * @throws IllegalArgumentException when it is not a profile (the device answers Error)
     */
    public String install(byte[] payload) {
        byte[] plist = payload;
        if (payload.length > 0 && payload[0] == 0x30) {
            try {
                plist = (byte[]) new CMSSignedData(payload).getSignedContent().getContent();
            } catch (Exception e) {
                throw new IllegalArgumentException("signed profile cannot be read: " + e.getMessage(), e);
            }
        }
        Map<String, Object> p = PLIST.decodeDictionary(plist);
        Object id = p.get("PayloadIdentifier");
        if (!(id instanceof String ids) || ids.isEmpty()) {
            throw new IllegalArgumentException("profile without PayloadIdentifier");
        }
        if (!"Configuration".equals(p.get("PayloadType"))) {
            throw new IllegalArgumentException("profile " + ids + " has PayloadType " + p.get("PayloadType") + ", expected Configuration");
        }
        profiles.put(ids, p);
        return ids;
    }

    public boolean remove(String identifier) {
        return profiles.remove(identifier) != null;
    }

    public Optional<Map<String, Object>> get(String identifier) {
        return Optional.ofNullable(profiles.get(identifier));
    }

    public int size() {
        return profiles.size();
    }

    /** The ProfileList response array: per profile its metadata and its payloads' type, identifier and UUID. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> p : profiles.values()) {
            Map<String, Object> e = new LinkedHashMap<>();
            for (String k : List.of("PayloadIdentifier", "PayloadUUID", "PayloadDisplayName", "PayloadDescription", "PayloadOrganization",
                    "PayloadVersion", "PayloadRemovalDisallowed")) {
                Object v = p.get(k);
                if (v != null) {
                    e.put(k, v);
                }
            }
            e.put("IsEncrypted", false);
            e.put("IsManaged", true);
            List<Map<String, Object>> content = new ArrayList<>();
            if (p.get("PayloadContent") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> pl) {
                        Map<String, Object> c = new LinkedHashMap<>();
                        for (String k : List.of("PayloadType", "PayloadIdentifier", "PayloadUUID", "PayloadDisplayName", "PayloadVersion")) {
                            if (pl.get(k) != null) {
                                c.put(k, pl.get(k));
                            }
                        }
                        content.add(c);
                    }
                }
            }
            e.put("PayloadContent", content);
            out.add(e);
        }
        return out;
    }
}
