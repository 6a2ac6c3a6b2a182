package io.verger.policy.engine.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.verger.api.policy.PolicyModule;
import io.verger.api.policy.SettingsValidationException;
import io.verger.api.storage.Policy;

/**
 * Turns a policy into the dictionary of its configuration profile: one profile per policy, whose top-level
 * {@code PayloadIdentifier} ({@code io.verger.policy.<id>}) stays the same for the policy's life, so that installing
 * a new revision replaces the profile on the device.
 */
final class ProfileBuilder {

    static final String IDENTIFIER_PREFIX = "io.verger.policy.";

    private ProfileBuilder() {
    }

    static String identifier(String policyId) {
        return IDENTIFIER_PREFIX + policyId;
    }

    /** @return the policy id of one of our profile identifiers, or {@code null} */
    static String policyIdOf(String profileIdentifier) {
        if (profileIdentifier == null || !profileIdentifier.startsWith(IDENTIFIER_PREFIX)) {
            return null;
        }
        String rest = profileIdentifier.substring(IDENTIFIER_PREFIX.length());
        return rest.isEmpty() || rest.contains(".") ? null : rest;
    }

    /**
     * @param policy       the policy
     * @param module       its module
     * @param organization {@code PayloadOrganization}, or {@code null}
     * @return the profile as plist values
     * @throws SettingsValidationException if the module refuses the settings
     * @throws IllegalStateException       if the module breaks its contract (sets identifiers or another type)
     */
    static Map<String, Object> profile(Policy policy, PolicyModule module, String organization) throws SettingsValidationException {
        List<Map<String, Object>> built = module.buildPayloads(policy.settings());
        List<Object> content = new ArrayList<>();
        for (int i = 0; i < built.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>(built.get(i));
            Object type = p.get("PayloadType");
            if (type != null && !module.payloadType().equals(type)) {
                throw new IllegalStateException("module " + module.payloadType() + " built a payload of type " + type);
            }
            if (p.containsKey("PayloadIdentifier") || p.containsKey("PayloadUUID")) {
                throw new IllegalStateException("module " + module.payloadType() + " set PayloadIdentifier or PayloadUUID");
            }
            p.put("PayloadType", module.payloadType());
            p.putIfAbsent("PayloadVersion", 1L);
            p.put("PayloadIdentifier", identifier(policy.id()) + "." + i);
            // stable per policy and position: a new revision replaces the payload instead of adding one
            p.put("PayloadUUID", uuid(policy.id() + "/" + i));
            p.putIfAbsent("PayloadDisplayName", policy.name());
            content.add(p);
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("PayloadContent", content);
        profile.put("PayloadDisplayName", policy.name());
        profile.put("PayloadIdentifier", identifier(policy.id()));
        if (organization != null && !organization.isBlank()) {
            profile.put("PayloadOrganization", organization);
        }
        profile.put("PayloadRemovalDisallowed", false);
        profile.put("PayloadType", "Configuration");
        profile.put("PayloadUUID", uuid(policy.id() + "@" + policy.revision()));
        profile.put("PayloadVersion", 1L);
        return profile;
    }

    static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(("io.verger.policy/" + seed).getBytes(StandardCharsets.UTF_8)).toString().toUpperCase();
    }
}
