package io.verger.simulator.cli;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.verger.simulator.fleet.DeviceCa;
import io.verger.simulator.fleet.Pem;
import io.verger.simulator.mdm.AdminApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A stand-in MDM push certificate for a test server: servers serve enrollment profiles only once they have one
 * (the profile's Topic is its UID). Self-signed, so APNs would refuse it: point the server's APNs client at
 * loopback (Verger: {@code deploy/io.verger.push.apns.cfg} with {@code host=127.0.0.1}) so no push leaves the box.
 */
@Command(name = "pushcert", mixinStandardHelpOptions = true,
        description = "Uploads a self-signed stand-in push certificate (PUT /v1/pushcert, NanoMDM-style) so a test server serves enrollment "
                + "profiles; prints its topic. APNs refuses it: keep the server's APNs client on loopback.")
public final class PushCertCommand implements Callable<Integer> {

    @Mixin
    ServerOptions server;

    @Option(names = "--topic", description = "the topic (default: com.apple.mgmt.External.<random UUID>)")
    String topic;

    @Override
    public Integer call() throws Exception {
        String t = topic != null ? topic : "com.apple.mgmt.External." + UUID.randomUUID();
        KeyPair kp = DeviceCa.rsa(2048);
        X500Name subject = new X500Name("UID=" + t + ",CN=APSP:verger-simulator stand-in");
        Instant now = Instant.now();
        var cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, new BigInteger(63, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
        try (AdminApi api = new AdminApi(server.endpoint(), server.apiKey())) {
            api.uploadPushCertificate(Pem.write(cert) + Pem.write(kp.getPrivate()));
        }
        System.out.println(t);
        return 0;
    }
}
