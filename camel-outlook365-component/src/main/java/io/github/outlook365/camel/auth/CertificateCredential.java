package io.github.outlook365.camel.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The app's certificate credential: the private key and certificate chain read from a PKCS#12 ({@code .pfx}), checked
 * when the route starts so that a wrong password, a file without its key or an expired certificate is reported then,
 * naming the option, rather than as an Entra error later. MSAL4J signs the client assertion with it.
 * {@link #toString()} shows the certificate's subject, thumbprint and dates, never the key.
 */
public final class CertificateCredential {

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final String thumbprint;

    private CertificateCredential(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.thumbprint = thumbprint(chain.get(0), "SHA-1");
    }

    /**
     * Reads a PKCS#12.
     *
     * @param  source                   how the user gave it, for messages: e.g. "option certificate" or "option
     *                                  certificateFile='/etc/app.pfx'"
     * @throws IllegalArgumentException with a message naming the option and what to do
     */
    public static CertificateCredential fromPkcs12(byte[] pkcs12, char[] password, String source, Instant now) {
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), password);
        } catch (IOException e) {
            if (isWrongPassword(e)) {
                throw new IllegalArgumentException("option certificatePassword does not open the PKCS#12 in " + source
                                                   + ": give the password the .pfx was exported with (or leave"
                                                   + " certificatePassword empty if it has none)");
            }
            throw new IllegalArgumentException(source + " is not a PKCS#12 (.pfx) file: export the certificate with its"
                                               + " private key as .pfx (e.g. openssl pkcs12 -export -inkey app.key -in"
                                               + " app.crt -out app.pfx)");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + " cannot be read as a PKCS#12 (.pfx): "
                                               + e.getClass().getSimpleName());
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key;
                try {
                    key = store.getKey(alias, password);
                } catch (UnrecoverableKeyException e) {
                    throw new IllegalArgumentException("option certificatePassword opens the PKCS#12 in " + source
                                                       + " but not its private key: export the .pfx with one password"
                                                       + " for the file and the key");
                }
                Certificate[] certificates = store.getCertificateChain(alias);
                if (!(key instanceof PrivateKey privateKey) || certificates == null || certificates.length == 0) {
                    continue;
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : certificates) {
                    chain.add((X509Certificate) c);
                }
                if (!"RSA".equalsIgnoreCase(privateKey.getAlgorithm())) {
                    throw new IllegalArgumentException("the private key in " + source + " is " + privateKey.getAlgorithm()
                                                       + ": Microsoft Entra ID certificate credentials need an RSA key"
                                                       + " (2048 bits or more)");
                }
                CertificateCredential credential = new CertificateCredential(privateKey, chain);
                credential.requireValidAt(now, source);
                return credential;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + " cannot be read as a PKCS#12 (.pfx): "
                                               + e.getClass().getSimpleName());
        }
        throw new IllegalArgumentException("the PKCS#12 in " + source + " holds no private key, only certificates:"
                                           + " export the certificate together with its private key (.pfx with the key)");
    }

    private static boolean isWrongPassword(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnrecoverableKeyException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("password")) {
                return true;
            }
        }
        return false;
    }

    /** Refuses a certificate that is expired or not yet valid at {@code now}, giving its dates. */
    public void requireValidAt(Instant now, String source) {
        X509Certificate certificate = certificate();
        Instant from = certificate.getNotBefore().toInstant();
        Instant until = certificate.getNotAfter().toInstant();
        if (now.isAfter(until)) {
            throw new IllegalArgumentException("the certificate in " + source + " (" + describe() + ") expired on " + until
                                               + " (valid from " + from + " to " + until + "): create a new certificate,"
                                               + " upload it under 'Certificates & secrets' of the app registration and"
                                               + " configure its .pfx");
        }
        if (now.isBefore(from)) {
            throw new IllegalArgumentException("the certificate in " + source + " (" + describe() + ") is not valid"
                                               + " before " + from + " (valid from " + from + " to " + until + "): use"
                                               + " it from then on, or check this machine's clock");
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The app's certificate first, then its issuers (if the .pfx holds them). */
    public List<X509Certificate> chain() {
        return chain;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The SHA-1 thumbprint in hex, as the Entra portal shows it under 'Certificates & secrets'. */
    public String thumbprint() {
        return thumbprint;
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Subject and thumbprint: what the Entra portal shows, enough to find the certificate there. */
    public String describe() {
        return "subject " + certificate().getSubjectX500Principal().getName() + ", thumbprint " + thumbprint;
    }

    private static String thumbprint(X509Certificate certificate, String algorithm) {
        try {
            return HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "CertificateCredential[" + describe() + ", valid until " + notAfter() + "]";
    }
}
