package io.github.outlook365.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Verifies a certificate credential (RFC 7523 client assertion) the way Entra ID does: the JWT is signed (RS256 or
 * PS256) with the private key of a certificate registered for the app, named by its x5t or x5t#S256 header; iss and sub
 * are the client id, aud is the token endpoint, and nbf/exp hold now.
 */
final class ClientAssertions {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    // Entra tolerates a few minutes of clock difference on nbf
    private static final Duration SKEW = Duration.ofMinutes(5);

    /** Why Entra refuses the assertion, in its error shape. */
    record Refusal(int status, String error, int code, String description) {
    }

    private ClientAssertions() {
    }

    /**
     * @param  tokenEndpoints the audiences accepted: the token endpoint URL as the client may have spelled it
     * @return                null when the assertion proves the client, otherwise why not
     */
    static Refusal verify(String assertion, String assertionType, SimulatorState.App app, Instant now,
            String... tokenEndpoints) {
        if (assertionType == null || assertionType.isBlank()) {
            return new Refusal(400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'client_assertion_type'.");
        }
        if (!JWT_BEARER.equals(assertionType)) {
            return new Refusal(400, "invalid_request", 50027, "Invalid JWT token. The client_assertion_type '"
                    + assertionType + "' is not supported; use " + JWT_BEARER + ".");
        }
        String[] parts = assertion.split("\\.", -1);
        JsonNode header;
        JsonNode payload;
        byte[] signature;
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("not three parts");
            }
            header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
            payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return new Refusal(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
        }
        String alg = Json.text(header, "alg");
        if (!"RS256".equals(alg) && !"PS256".equals(alg)) {
            return new Refusal(401, "invalid_client", 50027, "Invalid JWT token. The signing algorithm '" + alg
                    + "' is not supported for client assertions; use RS256 or PS256.");
        }
        String x5tS256 = Json.text(header, "x5t#S256");
        String x5t = Json.text(header, "x5t");
        String shownThumbprint = thumbprintHex(x5tS256 != null ? x5tS256 : x5t);
        X509Certificate certificate = null;
        for (X509Certificate candidate : app.certificates) {
            if (sameDigest(x5tS256, candidate, "SHA-256") || sameDigest(x5t, candidate, "SHA-1")) {
                certificate = candidate;
                break;
            }
        }
        if (certificate == null) {
            return new Refusal(401, "invalid_client", 700027, "Client assertion contains an invalid signature."
                    + " [Reason - The key was not found., Thumbprint of key used by client: '" + shownThumbprint
                    + "', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured"
                    + " keys for app Id '" + app.clientId + "'.]");
        }
        if (now.isAfter(certificate.getNotAfter().toInstant()) || now.isBefore(certificate.getNotBefore().toInstant())) {
            return new Refusal(401, "invalid_client", 700027, "Client assertion contains an invalid signature."
                    + " [Reason - The key used is expired., Thumbprint of key used by client: '" + shownThumbprint
                    + "', Found key 'Start=" + certificate.getNotBefore().toInstant() + ", End="
                    + certificate.getNotAfter().toInstant() + "']");
        }
        if (!signatureValid(alg, certificate, parts[0] + "." + parts[1], signature)) {
            return new Refusal(401, "invalid_client", 700027, "Client assertion contains an invalid signature."
                    + " [Reason - The provided signature value did not match the expected signature value.,"
                    + " Thumbprint of key used by client: '" + shownThumbprint + "']");
        }
        if (!app.clientId.equalsIgnoreCase(Json.text(payload, "iss"))
                || !app.clientId.equalsIgnoreCase(Json.text(payload, "sub"))) {
            return new Refusal(401, "invalid_client", 700021,
                    "Client assertion application identifier doesn't match 'client_id' parameter.");
        }
        String aud = Json.text(payload, "aud");
        boolean audienceOk = false;
        for (String endpoint : tokenEndpoints) {
            audienceOk |= endpoint.equalsIgnoreCase(aud);
        }
        if (!audienceOk) {
            return new Refusal(401, "invalid_client", 700023,
                    "Client assertion audience claim does not match Realm issuer. The audience '" + aud
                            + "' is not this token endpoint.");
        }
        JsonNode exp = payload.get("exp");
        JsonNode nbf = payload.get("nbf");
        if (exp == null || !exp.canConvertToLong() || !now.isBefore(Instant.ofEpochSecond(exp.asLong()))
                || (nbf != null && now.plus(SKEW).isBefore(Instant.ofEpochSecond(nbf.asLong())))) {
            return new Refusal(401, "invalid_client", 700024, "Client assertion is not within its valid time range."
                    + " Current time: " + now + ", assertion valid from "
                    + (nbf == null ? "-" : Instant.ofEpochSecond(nbf.asLong())) + ", expiry time of assertion "
                    + (exp == null ? "-" : Instant.ofEpochSecond(exp.asLong())) + ".");
        }
        return null;
    }

    /** RFC 7515 says base64url; MSAL4J sends standard base64 with padding. Entra accepts both, so do we. */
    private static boolean sameDigest(String headerValue, X509Certificate certificate, String digest) {
        byte[] given = decodeThumbprint(headerValue);
        if (given == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(given, MessageDigest.getInstance(digest).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decodeThumbprint(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(value.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String thumbprintHex(String base64Url) {
        if (base64Url == null) {
            return "(none)";
        }
        try {
            byte[] bytes = decodeThumbprint(base64Url);
            return bytes == null ? base64Url : HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return base64Url;
        }
    }

    private static boolean signatureValid(String alg, X509Certificate certificate, String signingInput,
            byte[] signature) {
        try {
            Signature verifier;
            if ("PS256".equals(alg)) {
                verifier = Signature.getInstance("RSASSA-PSS");
                verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                verifier = Signature.getInstance("SHA256withRSA");
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
