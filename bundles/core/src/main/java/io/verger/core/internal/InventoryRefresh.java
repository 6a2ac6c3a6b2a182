package io.verger.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.verger.api.EnrollmentId;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.InventoryStore;

/**
 * Keeps inventory current: every {@code checkMinutes} it queues DeviceInformation (the configured queries) and
 * SecurityInfo for enrolled devices whose inventory is older than {@code intervalHours} (or missing), at most
 * {@code maxPerRun} devices per run, skipping a device that still has such a command pending, and pushes them.
 * Does nothing while the command types are not installed.
 */
@Component(configurationPid = InventoryRefresh.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = {})
@Designate(ocd = InventoryRefresh.Config.class)
public final class InventoryRefresh {

    static final String PID = "io.verger.inventory.refresh";
    private static final Logger LOG = LoggerFactory.getLogger(InventoryRefresh.class);

    @ObjectClassDefinition(name = "Verger inventory refresh", description = "Periodic DeviceInformation, SecurityInfo and ProfileList queries")
    @interface Config {
        @AttributeDefinition(description = "Refresh inventory periodically")
        boolean enabled() default true;

        @AttributeDefinition(description = "Refresh a device whose inventory is older than this, in hours")
        int intervalHours() default 24;

        @AttributeDefinition(description = "How often to look for stale devices, in minutes")
        int checkMinutes() default 60;

        @AttributeDefinition(description = "At most this many devices are queried per run")
        int maxPerRun() default 500;

        @AttributeDefinition(description = "Also ask for the ProfileList, so installed profiles are known and policies can repair drift "
                + "(a profile removed on the device is installed again)")
        boolean profileList() default true;

        @AttributeDefinition(description = "The DeviceInformation queries")
        String[] queries() default {"DeviceName", "OSVersion", "BuildVersion", "ModelName", "Model", "ProductName",
            "SerialNumber", "DeviceCapacity", "AvailableDeviceCapacity", "BatteryLevel", "IsSupervised",
            "IsDeviceLocatorServiceEnabled", "IsActivationLockEnabled", "IsCloudBackupEnabled", "WiFiMAC", "BluetoothMAC"};
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MdmProtocol protocol;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushDispatcher push;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile InventoryStore inventory;

    private ScheduledExecutorService scheduler;
    private volatile Config config;

    @Activate
    @Modified
    synchronized void configure(Config config) {
        this.config = config;
        stop();
        if (config.enabled()) {
            long every = Math.max(1, config.checkMinutes());
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "verger-inventory-refresh");
                t.setDaemon(true);
                return t;
            });
            // the first run waits one period: a server that just started should serve devices first
            scheduler.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MINUTES);
        }
    }

    @Deactivate
    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void runSafely() {
        try {
            refresh(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Inventory refresh failed: {}", e.toString());
        }
    }

    /** @return how many devices were queried */
    int refresh(Instant now) {
        MdmProtocol p = protocol;
        InventoryStore store = inventory;
        Config c = config;
        if (p == null || store == null || c == null || p.commandType("DeviceInformation").isEmpty()) {
            return 0;
        }
        Instant staleBefore = now.minus(Duration.ofHours(Math.max(1, c.intervalHours())));
        EnrollmentFilter filter = EnrollmentFilter.ALL.withEnabled(true).withDeviceOnly(true);
        List<EnrollmentId> stale = new ArrayList<>();
        EnrollmentId after = null;
        int max = Math.max(1, c.maxPerRun());
        while (stale.size() < max) {
            List<Enrollment> page = p.enrollments().list(filter, after, 500);
            for (Enrollment e : page) {
                if (stale.size() >= max) {
                    break;
                }
                Optional<Inventory> inv = store.find(e.id());
                boolean old = inv.map(i -> i.updatedAt().isBefore(staleBefore)).orElse(true);
                boolean pending = p.queue().pending(e.id(), now).stream()
                        .anyMatch(q -> q.requestType().equals("DeviceInformation") || q.requestType().equals("SecurityInfo")
                                || q.requestType().equals("ProfileList"));
                if (e.tokenUpdates() > 0 && old && !pending) {
                    stale.add(e.id());
                }
            }
            if (page.size() < 500) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        if (stale.isEmpty()) {
            return 0;
        }
        ObjectNode info = ApiJson.MAPPER.createObjectNode().put("requestType", "DeviceInformation");
        var queries = info.putObject("params").putArray("Queries");
        for (String q : c.queries()) {
            queries.add(q);
        }
        enqueue(p, info, stale, true);
        boolean profiles = c.profileList() && p.commandType("ProfileList").isPresent();
        if (p.commandType("SecurityInfo").isPresent()) {
            // one push for the whole batch: only the last command queued pushes
            enqueue(p, ApiJson.MAPPER.createObjectNode().put("requestType", "SecurityInfo"), stale, profiles);
        }
        if (profiles) {
            enqueue(p, ApiJson.MAPPER.createObjectNode().put("requestType", "ProfileList"), stale, false);
        }
        LOG.info("Inventory refresh queued for {} device(s) older than {} h", stale.size(), c.intervalHours());
        return stale.size();
    }

    private void enqueue(MdmProtocol p, ObjectNode request, List<EnrollmentId> ids, boolean noPush) {
        try {
            CommandsServlet.enqueue(p, push, inventory, TypedCommands.Request.parse(request), ids, noPush, false);
        } catch (MdmException e) {
            LOG.warn("Inventory refresh: {} not queued: {}", request.path("requestType").asText(), e.getMessage());
        }
    }
}
