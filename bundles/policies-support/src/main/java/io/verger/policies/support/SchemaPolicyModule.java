package io.verger.policies.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.verger.api.policy.PolicyDescription;
import io.verger.api.policy.PolicyModule;
import io.verger.api.policy.SettingsValidationException;

/**
 * A {@link PolicyModule} built from one payload's facts: the settings are the payload's keys, checked against
 * Apple's schema, and make exactly one payload. Register a subclass as a DS component:
 * <pre>{@code
 * @Component(service = PolicyModule.class)
 * public final class WifiModule extends SchemaPolicyModule {
 *     public WifiModule() { super(MyPayloads.FACTS.payload("com.apple.wifi.managed")); }
 * }
 * }</pre>
 */
public class SchemaPolicyModule implements PolicyModule {

    private final PolicyFacts.Payload facts;

    /** @param facts the payload's facts */
    public SchemaPolicyModule(PolicyFacts.Payload facts) {
        this.facts = facts;
    }

    @Override
    public String payloadType() {
        return facts.payloadType();
    }

    @Override
    public PolicyDescription describe() {
        return facts.description();
    }

    /** @return the facts this module was built from */
    public PolicyFacts.Payload facts() {
        return facts;
    }

    @Override
    public List<Map<String, Object>> buildPayloads(Map<String, Object> settings) throws SettingsValidationException {
        validate(settings);
        return List.of(new LinkedHashMap<>(settings));
    }
}
