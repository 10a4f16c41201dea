package io.github.outlook365.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulator's key pair and self-signed certificate (RSA 2048, CN=localhost, SAN DNS:localhost and IP:127.0.0.1),
 * made at start. The same key signs the JWT-shaped access tokens.
 */
final class TlsMaterial {

    static final String ALIAS = "outlook365-simulator";
    private static final char[] KEY_PASSWORD = "outlook365-simulator".toCharArray();

    final KeyPair keyPair;
    final X509Certificate certificate;
    final String keyId;
    private final SSLContext serverContext;
    private final SSLContext clientContext;

    TlsMaterial() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            this.keyPair = generator.generateKeyPair();
            this.certificate = selfSign(keyPair);
            this.keyId = base64Url(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));

            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), KEY_PASSWORD, new X509Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, KEY_PASSWORD);
            this.serverContext = SSLContext.getInstance("TLS");
            serverContext.init(kmf.getKeyManagers(), null, new SecureRandom());

            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            this.clientContext = SSLContext.getInstance("TLS");
            clientContext.init(null, tmf.getTrustManagers(), new SecureRandom());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot create the simulator's TLS material", e);
        }
    }

    private static X509Certificate selfSign(KeyPair keyPair) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=localhost");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))),
                subject,
                keyPair.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        }));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keyPair.getPublic()));
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** A certificate an app registration holds, with its .pfx. */
    record AppCertificate(X509Certificate certificate, byte[] pkcs12) {
    }

    static AppCertificate appCertificate(String subject, char[] pfxPassword) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name(subject);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("app", pair.getPrivate(), pfxPassword, new X509Certificate[] {certificate});
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            store.store(out, pfxPassword);
            return new AppCertificate(certificate, out.toByteArray());
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("Cannot create an app certificate", e);
        }
    }

    SSLContext serverContext() {
        return serverContext;
    }

    SSLContext clientContext() {
        return clientContext;
    }

    KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry(ALIAS, certificate);
        return trustStore;
    }

    Path writeTrustStore(Path file, char[] password) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            KeyStore trustStore = trustStore();
            try (OutputStream out = Files.newOutputStream(file)) {
                trustStore.store(out, password);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the trust store " + file, e);
        }
    }

    /** Signs header.payload with RS256 and returns the compact JWT. */
    String signJwt(ObjectNode header, ObjectNode payload) {
        String signingInput = base64Url(Json.bytes(header)) + "." + base64Url(Json.bytes(payload));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keyPair.getPrivate());
            signature.update(signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON Web Key of the signing key, as served at jwks_uri. */
    ObjectNode jwk() {
        RSAPublicKey key = (RSAPublicKey) keyPair.getPublic();
        ObjectNode jwk = Json.object();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("kid", keyId);
        jwk.put("x5t", keyId);
        jwk.put("n", base64Url(unsigned(key.getModulus())));
        jwk.put("e", base64Url(unsigned(key.getPublicExponent())));
        try {
            jwk.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return jwk;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
