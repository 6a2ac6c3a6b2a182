package io.verger.modules.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo shell commands ({@code verger:modules}, {@code verger:install <jar>}, {@code verger:update <id> <jar>},
 * {@code verger:uninstall <id>}), the same operations as {@code /api/v1/modules}.
 */
@Component(service = ModuleCommands.class, property = {"osgi.command.scope=verger",
    "osgi.command.function=modules", "osgi.command.function=install", "osgi.command.function=update", "osgi.command.function=uninstall"})
public final class ModuleCommands {

    @Reference
    private ModuleRegistry registry;

    @Descriptor("list the modules: id, state, symbolic name, version, what each provides")
    public String modules() {
        StringBuilder sb = new StringBuilder(String.format("%4s  %-11s  %-45s  %s%n", "id", "state", "symbolic name", "version"));
        for (Map<String, Object> m : registry.list()) {
            sb.append(String.format("%4s  %-11s  %-45s  %s", m.get("id"), m.get("state"), m.get("symbolicName"), m.get("version")));
            if (m.get("provides") != null) {
                sb.append("  ").append(m.get("provides"));
            }
            if (m.get("failures") instanceof List<?> f && !f.isEmpty()) {
                sb.append("  FAILED: ").append(f);
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    @Descriptor("install and start a module from a jar file")
    public String install(@Descriptor("path of the bundle jar") String jar) throws IOException {
        try {
            Map<String, Object> m = registry.install(Files.readAllBytes(Path.of(jar)));
            return "installed " + m.get("symbolicName") + " " + m.get("version") + " as id " + m.get("id");
        } catch (ModuleRegistry.ModuleException e) {
            return "refused (" + e.status + "): " + e.getMessage();
        }
    }

    @Descriptor("update a module in place from a jar file")
    public String update(@Descriptor("module id") long id, @Descriptor("path of the new bundle jar") String jar) throws IOException {
        try {
            Map<String, Object> m = registry.update(id, Files.readAllBytes(Path.of(jar)));
            return "updated " + m.get("symbolicName") + " to " + m.get("version");
        } catch (ModuleRegistry.ModuleException e) {
            return "refused (" + e.status + "): " + e.getMessage();
        }
    }

    @Descriptor("uninstall a module")
    public String uninstall(@Descriptor("module id") long id) {
        try {
            Map<String, Object> m = registry.uninstall(id);
            return "uninstalled " + m.get("symbolicName") + " " + m.get("version");
        } catch (ModuleRegistry.ModuleException e) {
            return "refused (" + e.status + "): " + e.getMessage();
        }
    }
}
