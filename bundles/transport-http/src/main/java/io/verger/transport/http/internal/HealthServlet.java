package io.verger.transport.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /health}: unauthenticated liveness and module health, for load balancers and operators. It shows
 * counts and the symbolic names of failed modules, never configuration or secrets. A failed module degrades the
 * status but keeps 200, since the node still serves devices; 503 only while the framework is stopping.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/health")
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PushCertStore pushCerts;

    static final long PUSH_CERT_WARN_DAYS = 30;

    @Activate
    public HealthServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> report = report();
        int status = "DOWN".equals(report.get("status")) ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : HttpServletResponse.SC_OK;
        Json.write(resp, status, report);
    }

    /** Push certificates expiring within 30 days (or expired): devices cannot be woken once it expires. */
    private List<String> pushCertificateWarnings() {
        List<String> warnings = new ArrayList<>();
        PushCertStore store = pushCerts;
        if (store == null) {
            return warnings;
        }
        try {
            Instant now = Instant.now();
            for (PushCertificate c : store.list()) {
                long days = ChronoUnit.DAYS.between(now, c.notAfter());
                if (days < 0) {
                    warnings.add("push certificate " + c.topic() + " expired on " + c.notAfter() + "; renew it");
                } else if (days <= PUSH_CERT_WARN_DAYS) {
                    warnings.add("push certificate " + c.topic() + " expires in " + days + " day(s), on " + c.notAfter() + "; renew it");
                }
            }
        } catch (RuntimeException e) {
            warnings.add("push certificates could not be read: storage unavailable");
        }
        return warnings;
    }

    Map<String, Object> report() {
        int bundlesActive = 0;
        int bundlesFailed = 0;
        List<String> failedBundles = new ArrayList<>();
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        boolean stopping = system != null && system.getState() == Bundle.STOPPING;
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0 || b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            switch (b.getState()) {
                case Bundle.ACTIVE -> bundlesActive++;
                // lazy bundles wait in STARTING until first use: not a failure
                case Bundle.STARTING -> bundlesActive += "lazy".equals(b.getHeaders().get(Constants.BUNDLE_ACTIVATIONPOLICY)) ? 1 : 0;
                default -> {
                    bundlesFailed++;
                    failedBundles.add(b.getSymbolicName() + " " + b.getVersion());
                }
            }
        }
        int componentsActive = 0;
        int componentsFailed = 0;
        int componentsUnsatisfied = 0;
        ServiceComponentRuntime runtime = scr;
        if (runtime != null) {
            for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
                for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                    switch (c.state) {
                        case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> componentsActive++;
                        case ComponentConfigurationDTO.FAILED_ACTIVATION -> componentsFailed++;
                        default -> componentsUnsatisfied++;
                    }
                }
            }
        }
        Map<String, Object> bundles = new LinkedHashMap<>();
        bundles.put("active", bundlesActive);
        bundles.put("failed", bundlesFailed);
        if (!failedBundles.isEmpty()) {
            bundles.put("failedNames", failedBundles);
        }
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("active", componentsActive);
        components.put("failed", componentsFailed);
        components.put("unsatisfied", componentsUnsatisfied);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", stopping ? "DOWN" : (bundlesFailed + componentsFailed > 0 ? "DEGRADED" : "UP"));
        out.put("bundles", bundles);
        out.put("components", components);
        List<String> warnings = pushCertificateWarnings();
        if (!warnings.isEmpty()) {
            out.put("warnings", warnings);
        }
        return out;
    }
}
