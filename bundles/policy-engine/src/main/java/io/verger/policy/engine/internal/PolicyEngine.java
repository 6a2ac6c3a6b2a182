package io.verger.policy.engine.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.verger.api.EnrollmentId;
import io.verger.api.Platform;
import io.verger.api.command.CommandType;
import io.verger.api.event.MdmEvents;
import io.verger.api.policy.PolicyModule;
import io.verger.api.policy.SettingsValidationException;
import io.verger.api.push.PushProvider;
import io.verger.api.push.PushTarget;
import io.verger.api.signing.ProfileSigner;
import io.verger.api.storage.CommandQueue;
import io.verger.api.storage.CommandRecord;
import io.verger.api.storage.CommandState;
import io.verger.api.storage.Enrollment;
import io.verger.api.storage.EnrollmentFilter;
import io.verger.api.storage.EnrollmentStore;
import io.verger.api.storage.Inventory;
import io.verger.api.storage.InventoryStore;
import io.verger.api.storage.Policy;
import io.verger.api.storage.PolicyRevision;
import io.verger.api.storage.PolicyStore;
import io.verger.api.storage.PolicyTargetStore;
import io.verger.api.storage.PolicyTargets;
import io.verger.api.storage.QueuedCommand;
import io.verger.plist.PlistCodec;

/**
 * Makes every enrolled device hold the profiles of the policies that target it, and no other profile of ours.
 * It reconciles a device when its assignments or a policy change, right after its enrollment, and against its
 * {@code ProfileList} results; it tracks installs and removals from the results of its own commands, whose
 * CommandUUIDs name the policy and revision ({@code vp.i.<policy>.<revision>.<random>} to install,
 * {@code vp.r.<policy>.0.<random>} to remove). A policy whose module is missing is left alone on the devices.
 */
@Component(service = {PolicyEngine.class, EventHandler.class},
        property = {EventConstants.EVENT_TOPIC + "=" + MdmEvents.ENROLLMENT_ENROLLED,
                EventConstants.EVENT_TOPIC + "=" + MdmEvents.COMMAND_ACKNOWLEDGED,
                // of the acknowledgements only the engine's own commands and ProfileList: the others are not posted at all
                EventConstants.EVENT_FILTER + "=(|(!(" + MdmEvents.COMMAND_UUID + "=*))(" + MdmEvents.COMMAND_UUID + "=vp.*)("
                        + MdmEvents.REQUEST_TYPE + "=ProfileList))"})
public final class PolicyEngine implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PAGE = 500;

    /** Ids of policies and names of groups: what an identifier and an APNs-free URL path can carry as is. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Reference
    private PolicyStore store;
    @Reference
    private EnrollmentStore enrollments;
    @Reference
    private CommandQueue queue;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PolicyTargetStore targets;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile InventoryStore inventory;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProfileSigner signer;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PushProvider pushProvider;

    /** Modules by PayloadType, best ranking first. */
    private final Map<String, ConcurrentSkipListMap<ServiceReference<?>, PolicyModule>> modules = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListMap<ServiceReference<?>, CommandType>> commandTypes = new ConcurrentHashMap<>();
    private final Map<EnrollmentId, Object> locks = new ConcurrentHashMap<>();
    private final PlistCodec codec = PlistCodec.withDefaults();
    private volatile String organization;

    @Activate
    void activate(BundleContext context) {
        organization = context.getProperty("verger.organization.name");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addModule(PolicyModule module, ServiceReference<?> ref) {
        modules.computeIfAbsent(module.payloadType(), k -> new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a))).put(ref, module);
    }

    void removeModule(PolicyModule module, ServiceReference<?> ref) {
        Map<ServiceReference<?>, PolicyModule> m = modules.get(module.payloadType());
        if (m != null) {
            m.remove(ref);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCommandType(CommandType type, ServiceReference<?> ref) {
        commandTypes.computeIfAbsent(type.requestType(), k -> new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a))).put(ref, type);
    }

    void removeCommandType(CommandType type, ServiceReference<?> ref) {
        Map<ServiceReference<?>, CommandType> m = commandTypes.get(type.requestType());
        if (m != null) {
            m.remove(ref);
        }
    }

    PolicyStore store() {
        return store;
    }

    /**
     * @return the store of device groups, policy targets and versions
     * @throws ApiException 503 while no storage bundle provides one: deciding what a device should hold without it
     *                      would remove the profiles of policies that target it through groups or filters
     */
    PolicyTargetStore targets() {
        PolicyTargetStore t = targets;
        if (t == null) {
            throw new ApiException(503, "no PolicyTargetStore service: device groups, policy assignments and policy "
                    + "versions are unavailable until the storage bundle provides one (is verger-storage-jpa 1.2 or later running?)");
        }
        return t;
    }

    /** @return every policy, in id order */
    List<Policy> policies() {
        return store.list();
    }

    /** @return the policy of an id, or empty (also for an id that no policy can have) */
    Optional<Policy> policy(String id) {
        return NAME.matcher(id).matches() ? store.find(id) : Optional.empty();
    }

    // ---- modules ------------------------------------------------------------------------------------------

    /** @return the installed module of a PayloadType (highest ranking), or empty */
    Optional<PolicyModule> module(String payloadType) {
        var m = modules.get(payloadType);
        if (m == null) {
            return Optional.empty();
        }
        var e = m.firstEntry();
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** @return every installed module, by PayloadType, with the bundle that provides it */
    Map<String, Map.Entry<ServiceReference<?>, PolicyModule>> modules() {
        Map<String, Map.Entry<ServiceReference<?>, PolicyModule>> out = new java.util.TreeMap<>();
        modules.forEach((pt, m) -> {
            var e = m.firstEntry();
            if (e != null) {
                out.put(pt, e);
            }
        });
        return out;
    }

    // ---- policies -----------------------------------------------------------------------------------------

    /** Checks a policy's settings with its module; 422 if the module is missing, 400 naming the setting. */
    void validate(String payloadType, Map<String, Object> settings) {
        PolicyModule m = module(payloadType).orElseThrow(() -> new ApiException(422, "policy module " + payloadType + " is not installed"));
        try {
            m.validate(settings);
        } catch (SettingsValidationException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    Policy save(Policy policy) {
        validate(policy.payloadType(), policy.settings());
        PolicyTargetStore history = targets();
        Policy saved;
        try {
            saved = store.save(policy);
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
        history.appendRevision(PolicyRevision.of(saved));
        if (saved.revision() > 1) {
            reconcileTargets(saved.id(), Set.of());
        }
        return saved;
    }

    /** Deletes a policy: its profile is removed from the devices that hold it (unless its module is missing). */
    boolean delete(String policyId) {
        Optional<Policy> p = policy(policyId);
        if (p.isEmpty()) {
            return false;
        }
        boolean moduleMissing = module(p.get().payloadType()).isEmpty();
        for (EnrollmentId id : enrolledDevices()) {
            if (store.installed(id).containsKey(policyId) && !moduleMissing) {
                enqueueRemove(id, policyId);
            }
            for (QueuedCommand c : queue.pending(id, Instant.now())) {
                PolicyCommand pc = PolicyCommand.parse(c.commandUuid());
                if (pc != null && pc.install() && pc.policyId().equals(policyId)) {
                    queue.cancel(id, c.commandUuid(), Instant.now());
                }
            }
        }
        store.delete(policyId); // its targets and versions go with it
        return true;
    }

    // ---- targets ------------------------------------------------------------------------------------------

    void assign(String policyId, PolicyTargets spec, Collection<EnrollmentId> ids, boolean replace) {
        PolicyTargetStore t = targets();
        Set<EnrollmentId> before = new HashSet<>(targeted(policyId));
        if (replace) {
            store.unassign(policyId, store.assignees(policyId));
        }
        t.setTargets(policyId, spec);
        if (!ids.isEmpty()) {
            store.assign(policyId, ids);
        }
        reconcileTargets(policyId, before);
    }

    void unassignAll(String policyId) {
        assign(policyId, PolicyTargets.NONE, List.of(), true);
    }

    /** @return the enabled device channels a policy targets now */
    Set<EnrollmentId> targeted(String policyId) {
        Set<EnrollmentId> out = new LinkedHashSet<>();
        PolicyTargetStore groups = targets();
        PolicyTargets t = groups.targets(policyId);
        for (EnrollmentId id : store.assignees(policyId)) {
            out.add(id);
        }
        for (String g : t.groups()) {
            out.addAll(groups.members(g));
        }
        if (t.all() || t.hasFilter()) {
            for (Enrollment e : enrolled()) {
                if (t.all() || matches(e, t)) {
                    out.add(e.id());
                }
            }
        }
        return out;
    }

    private boolean matches(Enrollment e, PolicyTargets t) {
        Optional<Inventory> inv = inventory == null ? Optional.empty() : inventory.find(e.id());
        if (t.platform() != null) {
            Optional<Platform> p = inv.flatMap(Inventory::platform).or(() -> e.facts().platform());
            if (p.isEmpty() || !p.get().schemaName().equalsIgnoreCase(t.platform())) {
                return false;
            }
        }
        if (t.minOsVersion() != null) {
            String v = inv.flatMap(Inventory::osVersion).orElse(e.facts().osVersion());
            if (!OsVersion.atLeast(v, t.minOsVersion())) {
                return false;
            }
        }
        return t.tag() == null || targets().groupsOf(e.id()).contains(t.tag());
    }

    /** @return the policies that target a device now */
    List<Policy> desired(EnrollmentId id) {
        Map<String, Policy> out = new LinkedHashMap<>();
        PolicyTargetStore targetStore = targets();
        store.assignedTo(id).forEach(p -> out.put(p.id(), p));
        Optional<Enrollment> e = enrollments.find(id);
        List<String> groups = targetStore.groupsOf(id);
        for (Policy p : store.list()) {
            if (out.containsKey(p.id())) {
                continue;
            }
            PolicyTargets t = targetStore.targets(p.id());
            if (t.all() && e.isPresent() || t.groups().stream().anyMatch(groups::contains)
                    || t.hasFilter() && e.isPresent() && matches(e.get(), t)) {
                out.put(p.id(), p);
            }
        }
        return new ArrayList<>(out.values());
    }

    // ---- reconciling ----------------------------------------------------------------------------------------

    private void reconcileTargets(String policyId, Set<EnrollmentId> alsoThese) {
        Set<EnrollmentId> ids = new LinkedHashSet<>(alsoThese);
        ids.addAll(targeted(policyId));
        for (EnrollmentId id : ids) {
            reconcile(id);
        }
    }

    void reconcileMembers(Collection<EnrollmentId> ids) {
        ids.forEach(this::reconcile);
    }

    /** Queues what a device needs to match its policies; pushes it if anything was queued. */
    void reconcile(EnrollmentId id) {
        boolean queued = false;
        synchronized (locks.computeIfAbsent(id, k -> new Object())) {
            Optional<Enrollment> e = enrollments.find(id);
            if (e.isEmpty() || !e.get().enabled() || id.isUserChannel()) {
                return;
            }
            Map<String, Long> installed = store.installed(id);
            Map<String, PolicyCommand> pending = new LinkedHashMap<>();
            for (QueuedCommand c : queue.pending(id, Instant.now())) {
                PolicyCommand pc = PolicyCommand.parse(c.commandUuid());
                if (pc != null) {
                    pending.put(c.commandUuid(), pc);
                }
            }
            Set<String> wanted = new HashSet<>();
            for (Policy p : desired(id)) {
                wanted.add(p.id());
                Optional<PolicyModule> m = module(p.payloadType());
                if (m.isEmpty() || Long.valueOf(p.revision()).equals(installed.get(p.id()))) {
                    continue;
                }
                boolean alreadyQueued = false;
                for (var c : pending.entrySet()) {
                    PolicyCommand pc = c.getValue();
                    if (pc.install() && pc.policyId().equals(p.id())) {
                        if (pc.revision() == p.revision()) {
                            alreadyQueued = true;
                        } else {
                            queue.cancel(id, c.getKey(), Instant.now()); // an older revision not yet delivered
                        }
                    }
                }
                if (!alreadyQueued) {
                    queued |= enqueueInstall(id, p, m.get());
                }
            }
            for (var c : pending.entrySet()) {
                if (c.getValue().install() && !wanted.contains(c.getValue().policyId())) {
                    queue.cancel(id, c.getKey(), Instant.now());
                }
            }
            for (String policyId : installed.keySet()) {
                if (wanted.contains(policyId)) {
                    continue;
                }
                Optional<Policy> p = policy(policyId);
                if (p.isPresent() && module(p.get().payloadType()).isEmpty()) {
                    continue; // module missing: nothing is removed by accident
                }
                boolean removing = pending.values().stream().anyMatch(pc -> !pc.install() && pc.policyId().equals(policyId));
                if (!removing) {
                    queued |= enqueueRemove(id, policyId);
                }
            }
        }
        if (queued) {
            push(List.of(id));
        }
    }

    private boolean enqueueInstall(EnrollmentId id, Policy p, PolicyModule m) {
        ProfileSigner s = signer;
        if (s == null) {
            LOG.warn("no ProfileSigner: policy {} is not installed on {} until one is available", p.id(), id.format());
            return false;
        }
        byte[] signed;
        try {
            byte[] xml = codec.encodeXml(ProfileBuilder.profile(p, m, organization));
            signed = s.sign(xml);
        } catch (SettingsValidationException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("cannot build the profile of policy {} revision {}: {}", p.id(), p.revision(), e.toString());
            return false;
        }
        String uuid = new PolicyCommand(true, p.id(), p.revision()).commandUuid(RANDOM);
        return enqueue(id, uuid, "InstallProfile", Map.of("Payload", signed));
    }

    private boolean enqueueRemove(EnrollmentId id, String policyId) {
        String uuid = new PolicyCommand(false, policyId, 0).commandUuid(RANDOM);
        return enqueue(id, uuid, "RemoveProfile", Map.of("Identifier", ProfileBuilder.identifier(policyId)));
    }

    private boolean enqueue(EnrollmentId id, String uuid, String requestType, Map<String, Object> params) {
        Map<String, Object> command;
        var types = commandTypes.get(requestType);
        var type = types == null ? null : types.firstEntry();
        try {
            if (type != null) {
                command = type.getValue().build(params);
            } else {
                command = new LinkedHashMap<>(params);
                command.put("RequestType", requestType);
            }
        } catch (Exception e) {
            LOG.warn("{} for {} refused by its command type: {}", requestType, id.format(), e.toString());
            return false;
        }
        byte[] plist = codec.encodeXml(Map.of("Command", command, "CommandUUID", uuid));
        return !queue.enqueue(QueuedCommand.of(uuid, requestType, plist, Instant.now()), List.of(id)).isEmpty();
    }

    private void push(Collection<EnrollmentId> ids) {
        PushProvider p = pushProvider;
        if (p == null) {
            return;
        }
        try {
            List<PushTarget> targets = enrollments.pushTargets(ids);
            if (!targets.isEmpty()) {
                p.push(targets);
            }
        } catch (RuntimeException e) {
            LOG.info("push to {} failed; the devices get their profiles on their next connect: {}", ids, e.toString());
        }
    }

    List<Enrollment> enrolled() {
        List<Enrollment> out = new ArrayList<>();
        EnrollmentFilter filter = EnrollmentFilter.ALL.withEnabled(true).withDeviceOnly(true);
        EnrollmentId after = null;
        while (true) {
            List<Enrollment> page = enrollments.list(filter, after, PAGE);
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private List<EnrollmentId> enrolledDevices() {
        return enrolled().stream().map(Enrollment::id).toList();
    }

    // ---- events -------------------------------------------------------------------------------------------

    @Override
    public void handleEvent(Event event) {
        try {
            Object idText = event.getProperty(MdmEvents.ENROLLMENT_ID);
            if (!(idText instanceof String s)) {
                return;
            }
            EnrollmentId id = EnrollmentId.parse(s);
            if (MdmEvents.ENROLLMENT_ENROLLED.equals(event.getTopic())) {
                reconcile(id);
                return;
            }
            String uuid = (String) event.getProperty(MdmEvents.COMMAND_UUID);
            PolicyCommand pc = uuid == null ? null : PolicyCommand.parse(uuid);
            if (pc != null && pc.install()) {
                store.markInstalled(id, pc.policyId(), pc.revision());
            } else if (pc != null) {
                store.markRemoved(id, pc.policyId());
            } else if ("ProfileList".equals(event.getProperty(MdmEvents.REQUEST_TYPE))
                    && event.getProperty(MdmEvents.RAW_PLIST) instanceof byte[] raw) {
                profileList(id, raw);
            }
        } catch (RuntimeException e) {
            LOG.warn("policy engine could not handle {}: {}", event.getTopic(), e.toString(), e);
        }
    }

    /** A device listed its profiles: ours that it lost are installed again, ours that nothing wants are removed. */
    void profileList(EnrollmentId id, byte[] raw) {
        Map<String, Object> result = codec.decodeDictionary(raw);
        Set<String> present = new HashSet<>();
        if (result.get("ProfileList") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("PayloadIdentifier") instanceof String ident) {
                    String policyId = ProfileBuilder.policyIdOf(ident);
                    if (policyId != null) {
                        present.add(policyId);
                    }
                }
            }
        }
        for (String policyId : store.installed(id).keySet()) {
            if (!present.contains(policyId)) {
                store.markRemoved(id, policyId);
            }
        }
        Set<String> wanted = new HashSet<>();
        desired(id).forEach(p -> wanted.add(p.id()));
        for (String policyId : present) {
            if (!wanted.contains(policyId) && !store.installed(id).containsKey(policyId)) {
                Optional<Policy> p = policy(policyId);
                if (p.isEmpty() || module(p.get().payloadType()).isPresent()) {
                    // a managed profile of ours that no policy wants: record it so that reconcile removes it
                    store.markInstalled(id, policyId, 0);
                }
            }
        }
        reconcile(id);
    }

    // ---- status -------------------------------------------------------------------------------------------

    /** Where one policy stands on one device: pending, installed, failed, removing or module missing. */
    Map<String, Object> status(EnrollmentId id, Policy p, boolean wanted, Map<String, Long> installed, List<CommandRecord> history) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deviceId", id.format());
        out.put("policyId", p.id());
        out.put("revision", p.revision());
        Long rev = installed.get(p.id());
        if (rev != null) {
            out.put("installedRevision", rev);
        }
        CommandRecord last = null;
        for (CommandRecord r : history) {
            PolicyCommand pc = PolicyCommand.parse(r.command().commandUuid());
            if (pc != null && pc.policyId().equals(p.id()) && (last == null || r.updatedAt().isAfter(last.updatedAt()))) {
                last = r;
            }
        }
        String state;
        if (module(p.payloadType()).isEmpty()) {
            state = "module missing";
        } else if (!wanted) {
            state = rev == null ? "removed" : "removing";
        } else if (rev != null && rev == p.revision()) {
            state = "installed";
        } else if (last != null && (last.state() == CommandState.ERROR || last.state() == CommandState.COMMAND_FORMAT_ERROR)
                && PolicyCommand.parse(last.command().commandUuid()).revision() == p.revision()) {
            state = "failed";
            List<Map<String, Object>> chain = new ArrayList<>();
            if (last.lastResult() != null) {
                last.lastResult().errorChain().forEach(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("code", c.code());
                    m.put("domain", c.domain());
                    m.put("localizedDescription", c.localizedDescription());
                    m.put("usEnglishDescription", c.usEnglishDescription());
                    chain.add(m);
                });
            }
            out.put("errorChain", chain);
        } else {
            state = "pending";
        }
        out.put("status", state);
        if (last != null) {
            out.put("commandUuid", last.command().commandUuid());
        }
        return out;
    }

    List<Map<String, Object>> statusOfPolicy(Policy p) {
        Set<EnrollmentId> targeted = targeted(p.id());
        List<Map<String, Object>> out = new ArrayList<>();
        for (EnrollmentId id : enrolledDevices()) {
            Map<String, Long> installed = store.installed(id);
            boolean wanted = targeted.contains(id);
            if (wanted || installed.containsKey(p.id())) {
                out.add(status(id, p, wanted, installed, queue.history(id, 200)));
            }
        }
        return out;
    }

    List<Map<String, Object>> statusOfDevice(EnrollmentId id) {
        Map<String, Long> installed = store.installed(id);
        List<CommandRecord> history = queue.history(id, 200);
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Policy p : desired(id)) {
            seen.add(p.id());
            out.add(status(id, p, true, installed, history));
        }
        for (String policyId : installed.keySet()) {
            if (!seen.contains(policyId)) {
                policy(policyId).ifPresent(p -> out.add(status(id, p, false, installed, history)));
            }
        }
        return out;
    }

    /** The CommandUUID of an engine command: what it does, to which policy and revision. */
    record PolicyCommand(boolean install, String policyId, long revision) {

        String commandUuid(SecureRandom random) {
            return "vp." + (install ? "i" : "r") + "." + policyId + "." + revision + "." + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        }

        static PolicyCommand parse(String uuid) {
            if (uuid == null || !uuid.startsWith("vp.")) {
                return null;
            }
            String[] parts = uuid.split("\\.");
            if (parts.length != 5 || !("i".equals(parts[1]) || "r".equals(parts[1]))) {
                return null;
            }
            try {
                return new PolicyCommand("i".equals(parts[1]), parts[2], Long.parseLong(parts[3]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    static String ranking(ServiceReference<?> ref) {
        Object r = ref.getProperty(Constants.SERVICE_RANKING);
        return r == null ? "0" : r.toString();
    }
}
