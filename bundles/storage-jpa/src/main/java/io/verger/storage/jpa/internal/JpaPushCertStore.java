package io.verger.storage.jpa.internal;

import io.verger.api.identity.CertificateFingerprint;
import io.verger.api.storage.PushCertStore;
import io.verger.api.storage.PushCertificate;
import io.verger.api.storage.StorageException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Push certificates as JPA entities; the private key is encrypted at rest with the storage key. */
@Component(service = PushCertStore.class)
public final class JpaPushCertStore implements PushCertStore {

    private final Database db;

    @Activate
    public JpaPushCertStore(@Reference Database db) {
        this.db = db;
    }

    private static String context(String topic) {
        return "push-key/" + topic;
    }

    @Override
    public void store(PushCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        String topic = certificate.topic();
        byte[] chain = encodeChain(certificate.chain());
        byte[] pkcs8 = certificate.privateKey().getEncoded();
        if (pkcs8 == null) {
            throw new IllegalArgumentException("the private key of push certificate " + topic + " cannot be exported (PKCS#8)");
        }
        byte[] sealed = db.secrets().seal(pkcs8, context(topic));
        long now = Columns.nanos(Instant.now());
        db.jpa("storing the push certificate of " + topic, em -> {
            PushCertificateEntity e = em.find(PushCertificateEntity.class, topic);
            boolean created = e == null;
            if (created) {
                e = new PushCertificateEntity(topic);
            }
            e.fingerprint = certificate.version().sha256Hex();
            e.chain = chain;
            e.keyAlgorithm = certificate.privateKey().getAlgorithm();
            e.sealedKey = sealed;
            e.notAfter = Columns.nanos(certificate.notAfter());
            e.updatedAt = now;
            if (created) {
                em.persist(e);
            }
            return null;
        });
    }

    @Override
    public Optional<PushCertificate> find(String topic) {
        Objects.requireNonNull(topic, "topic");
        PushCertificateEntity e = db.jpa("reading the push certificate of " + topic, em -> em.find(PushCertificateEntity.class, topic));
        return e == null ? Optional.empty() : Optional.of(read(e));
    }

    @Override
    public boolean isCurrent(String topic, CertificateFingerprint version) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(version, "version");
        return db.jpa("checking the push certificate of " + topic, em -> em
                .createQuery("SELECT COUNT(p) FROM PushCertificateEntity p WHERE p.topic = :topic AND p.fingerprint = :fp", Long.class)
                .setParameter("topic", topic).setParameter("fp", version.sha256Hex()).getSingleResult() > 0);
    }

    @Override
    public List<PushCertificate> list() {
        List<PushCertificateEntity> all = db.jpa("listing push certificates", em -> em
                .createQuery("SELECT p FROM PushCertificateEntity p ORDER BY p.topic", PushCertificateEntity.class).getResultList());
        return all.stream().map(this::read).toList();
    }

    @Override
    public boolean delete(String topic) {
        Objects.requireNonNull(topic, "topic");
        return db.jpa("deleting the push certificate of " + topic, em -> em
                .createQuery("DELETE FROM PushCertificateEntity p WHERE p.topic = :topic")
                .setParameter("topic", topic).executeUpdate() > 0);
    }

    private PushCertificate read(PushCertificateEntity e) {
        try {
            PrivateKey key = KeyFactory.getInstance(e.keyAlgorithm)
                    .generatePrivate(new PKCS8EncodedKeySpec(db.secrets().open(e.sealedKey, context(e.topic))));
            return new PushCertificate(e.topic, decodeChain(e.chain), key);
        } catch (GeneralSecurityException | IOException ex) {
            throw new StorageException("the stored push certificate of " + e.topic + " cannot be read: " + ex.getMessage(), ex);
        }
    }

    private static byte[] encodeChain(List<X509Certificate> chain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(chain.size());
            for (X509Certificate c : chain) {
                byte[] der = c.getEncoded();
                out.writeInt(der.length);
                out.write(der);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encode a push certificate chain: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static List<X509Certificate> decodeChain(byte[] data) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int n = in.readInt();
            List<X509Certificate> chain = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] der = new byte[in.readInt()];
                in.readFully(der);
                chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
            return chain;
        }
    }
}
