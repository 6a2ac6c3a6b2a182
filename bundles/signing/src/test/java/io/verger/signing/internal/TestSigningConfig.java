package io.verger.signing.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link SigningConfiguration} as DS would build it: the given values, else the annotation's defaults. */
final class TestSigningConfig {

    private TestSigningConfig() {
    }

    static SigningConfiguration of(String... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return (SigningConfiguration) Proxy.newProxyInstance(SigningConfiguration.class.getClassLoader(),
                new Class<?>[] {SigningConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SigningConfiguration.class;
                    }
                    if (method.getDefaultValue() == null) {
                        return method.getName().equals("toString") ? "TestSigningConfig" + values : method.invoke(values, args);
                    }
                    return values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
