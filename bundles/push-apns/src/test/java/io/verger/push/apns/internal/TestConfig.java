package io.verger.push.apns.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A {@link ApnsPushProvider.Config} as SCR would build it: the given values over the annotation's defaults. */
final class TestConfig {

    private final Map<String, Object> values = new HashMap<>();

    static TestConfig forMock(MockApns mock, Path caPem) {
        return new TestConfig().set("host", "127.0.0.1").set("port", mock.port).set("trustedServerCa", caPem.toString())
                .set("retryInitialMillis", 5L).set("retryMaxMillis", 40L);
    }

    TestConfig set(String key, Object value) {
        values.put(key, value);
        return this;
    }

    ApnsPushProvider.Config build() {
        Map<String, Object> snapshot = Map.copyOf(values);
        return (ApnsPushProvider.Config) Proxy.newProxyInstance(ApnsPushProvider.Config.class.getClassLoader(),
                new Class<?>[] {ApnsPushProvider.Config.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "Config" + snapshot;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    Object v = snapshot.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }
}
