package io.github.outlook365.camel;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed app certificates and their PKCS#12 (.pfx) files, as an admin would make them with openssl or
 * New-SelfSignedCertificate.
 */
record TestCertificates(KeyPair keyPair, X509Certificate certificate) {

    static TestCertificates rsa(String subject, Instant notBefore, Instant notAfter) {
        return create("RSA", 2048, "SHA256withRSA", subject, notBefore, notAfter);
    }

    static TestCertificates validRsa(String subject) {
        Instant now = Instant.now();
        return rsa(subject, now.minusSeconds(86_400), now.plusSeconds(365L * 86_400));
    }

    static TestCertificates ec(String subject) {
        Instant now = Instant.now();
        return create("EC", 256, "SHA256withECDSA", subject, now.minusSeconds(86_400), now.plusSeconds(86_400));
    }

    private static TestCertificates create(String algorithm, int bits, String signature, String subject, Instant notBefore,
                                           Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits, new SecureRandom());
            KeyPair keyPair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + subject);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE), Date.from(notBefore),
                    Date.from(notAfter), name, keyPair.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keyPair.getPrivate())));
            return new TestCertificates(keyPair, certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The .pfx with the private key and the certificate. */
    byte[] pkcs12(String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("app", keyPair.getPrivate(), password.toCharArray(), new X509Certificate[] {certificate});
            return store(store, password);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A .pfx holding the certificate only (exported without its private key). */
    byte[] pkcs12WithoutKey(String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("app", certificate);
            return store(store, password);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String base64Pkcs12(String password) {
        return Base64.getEncoder().encodeToString(pkcs12(password));
    }

    private static byte[] store(KeyStore store, String password) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password.toCharArray());
        return out.toByteArray();
    }
}
