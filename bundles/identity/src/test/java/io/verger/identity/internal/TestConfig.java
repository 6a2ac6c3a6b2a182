package io.verger.identity.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** An {@link IdentityConfiguration} as DS would build it: the given values, else the annotation's defaults. */
final class TestConfig {

    private TestConfig() {
    }

    /** @param keyValues method name, value, method name, value, ... (e.g. "trustedCas", "/tmp/a.pem") */
    static IdentityConfiguration identity(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (IdentityConfiguration) Proxy.newProxyInstance(IdentityConfiguration.class.getClassLoader(),
                new Class<?>[] {IdentityConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return IdentityConfiguration.class;
                    }
                    if (method.getDefaultValue() == null) {
                        return method.getName().equals("toString") ? "TestConfig" + values : method.invoke(values, args);
                    }
                    return values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    /** @param keyValues method name, value, ... of an {@link EnrollmentConfiguration} */
    static EnrollmentConfiguration enrollment(Object... keyValues) {
        return of(EnrollmentConfiguration.class, keyValues);
    }

    static <T> T of(Class<T> type, Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (method.getDefaultValue() == null) {
                return method.getName().equals("toString") ? "TestConfig" + values : method.invoke(values, args);
            }
            return values.getOrDefault(method.getName(), method.getDefaultValue());
        }));
    }

    static Map<String, String> properties(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }
}
