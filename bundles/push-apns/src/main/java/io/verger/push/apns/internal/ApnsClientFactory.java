package io.verger.push.apns.internal;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import io.netty.channel.EventLoopGroup;
import io.verger.api.storage.PushCertificate;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;

/** Builds Pushy clients with certificate authentication, all on the one shared event loop group. */
final class ApnsClientFactory {

    private final ApnsSettings settings;
    private final EventLoopGroup eventLoopGroup;

    ApnsClientFactory(ApnsSettings settings, EventLoopGroup eventLoopGroup) {
        this.settings = settings;
        this.eventLoopGroup = eventLoopGroup;
    }

    ClientHandle build(PushCertificate certificate) throws PushUnavailableException {
        X509Certificate cert = certificate.certificate();
        try {
            // Plain JDK objects: the store may hand us keys of a provider bundle (BouncyCastle) that a
            // long-lived client must not pin.
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(cert.getEncoded()));
            PrivateKey key = jdkKey(certificate.privateKey());
            ApnsClientBuilder builder = new ApnsClientBuilder()
                    .setApnsServer(settings.host(), settings.port())
                    .setClientCredentials(cert, key, null)
                    .setEventLoopGroup(eventLoopGroup)
                    .setConcurrentConnections(settings.connectionsPerTopic())
                    .setConnectionTimeout(settings.connectTimeout());
            if (!settings.trustedServerCa().isEmpty()) {
                builder.setTrustedServerCertificateChain(settings.trustedServerCa().toArray(new X509Certificate[0]));
            }
            return new ClientHandle(builder.build(), certificate.version(), certificate.notAfter());
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            throw new PushUnavailableException("cannot build an APNs client for topic " + certificate.topic()
                    + " with certificate " + certificate.version() + ": " + e);
        }
    }

    private static PrivateKey jdkKey(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null || !"PKCS#8".equals(key.getFormat())) {
            return key;
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            return key;
        }
    }
}
