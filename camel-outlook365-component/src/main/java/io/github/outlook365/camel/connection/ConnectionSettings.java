package io.github.outlook365.camel.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import io.github.outlook365.camel.EnumValues;
import io.github.outlook365.camel.Outlook365ConnectionOptions;
import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.auth.AuthSettings;
import io.github.outlook365.camel.auth.CertificateCredential;
import io.github.outlook365.camel.auth.DelegatedSettings;
import io.github.outlook365.camel.auth.CloudEnvironment;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The connection options of a configuration, checked and resolved (environment defaults applied). Every bad option
 * is reported here, at route start, with the option's name and what to set.
 *
 * @param key       what identifies a connection: endpoints with equal keys share one token, one Graph client and one
 *                  throttle budget. Holds a fingerprint of the secret, never the secret.
 * @param signInKey for authMode=authorizationCode, what identifies the signed-in user's session (app, tenant,
 *                  redirect URI, token store), shared by connections that differ in account only; null otherwise
 * @param appKey    the key without the account: the connections of the app-only modes with equal app keys share one
 *                  {@link AppConnection} (one token, one HTTP client, one Graph client, one state), and the triggers of
 *                  an app key share one scheduler
 */
public record ConnectionSettings(AuthSettings auth, CloudEnvironment environment, String account, int maxRetries,
        Duration maxRetryDelay, int maxConcurrentRequests, SSLContextParameters sslContextParameters, String key,
        String signInKey, String appKey) {

    private static final Set<String> MULTI_TENANT_ALIASES = Set.of("common", "organizations", "consumers");
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

    public static ConnectionSettings of(Outlook365ConnectionOptions c) {
        return of(c, false);
    }

    /**
     * @param mailboxPerExchange true for a mail or calendar action: in the app-only modes its account may be left
     *                           unset, and each exchange then names the mailbox (header CamelOutlook365Account, see
     *                           {@link Outlook365Connection#forMailbox})
     */
    public static ConnectionSettings of(Outlook365ConnectionOptions c, boolean mailboxPerExchange) {
        AuthMode mode = required(c.getAuthMode(), AuthMode.class, "authMode");
        CloudEnvironment environment = required(c.getEnvironment(), CloudEnvironment.class, "environment");

        require(c.getClientId(), "clientId", mode,
                "the Application (client) ID of the app registration in Microsoft Entra ID");
        CertificateCredential certificate = null;
        String credentialFingerprint;
        if (mode == AuthMode.clientCertificate) {
            certificate = certificate(c, mode);
            credentialFingerprint = "cert:" + certificate.thumbprint();
        } else {
            require(c.getClientSecret(), "clientSecret", mode,
                    "the Value of a client secret from 'Certificates & secrets' of the app registration, e.g. {{env:OUTLOOK365_CLIENT_SECRET}}");
            if (!c.getClientSecret().equals(c.getClientSecret().strip())) {
                throw new IllegalArgumentException("option clientSecret starts or ends with whitespace (a space or a line"
                                                   + " break): copy the secret's Value exactly, e.g. check the file or"
                                                   + " environment variable it comes from");
            }
            credentialFingerprint = fingerprint(c.getClientSecret());
        }
        String tenantId = c.getTenantId();
        String account = c.getAccount() == null || c.getAccount().isBlank() ? null : c.getAccount().trim();
        DelegatedSettings delegated = null;
        String delegatedFingerprint = "";
        if (mode.appOnly()) {
            require(tenantId, "tenantId", mode, "the Directory (tenant) ID or a domain such as contoso.onmicrosoft.com");
            if (MULTI_TENANT_ALIASES.contains(tenantId.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("option tenantId='" + tenantId + "' cannot be used with authMode="
                                                   + mode + ": an app-only token is issued by one tenant; set tenantId to"
                                                   + " the Directory (tenant) ID of the organisation whose mailboxes you read");
            }
            if (!mailboxPerExchange) {
                require(account, "account", mode,
                        "the mailbox to use: a user principal name such as ada@contoso.com, or a shared mailbox's address");
            }
        } else {
            if (tenantId == null || tenantId.isBlank()) {
                tenantId = "common";
            }
            delegated = delegated(c, account);
            delegatedFingerprint = String.join(",", delegated.redirectUri().toString(),
                    String.join(" ", new java.util.TreeSet<>(delegated.scopes())), String.valueOf(delegated.tokenStore()),
                    delegated.tokenStoreKey() == null ? "" : fingerprint(delegated.tokenStoreKey()),
                    delegated.refreshToken() == null ? "" : fingerprint(delegated.refreshToken()));
        }

        String authorityHost = endpointUrl(c.getAuthorityHost(), environment.authorityHost(), "authorityHost");
        String graphEndpoint = endpointUrl(c.getGraphEndpoint(), environment.graphEndpoint(), "graphEndpoint");
        positive(c.getMaxConcurrentRequests(), "maxConcurrentRequests");
        positive(c.getRequestTimeout(), "requestTimeout");
        if (c.getMaxRetries() < 0) {
            throw new IllegalArgumentException("option maxRetries=" + c.getMaxRetries() + " must be 0 or more");
        }

        AuthSettings auth = new AuthSettings(mode, c.getClientId().trim(),
                mode == AuthMode.clientCertificate ? null : c.getClientSecret(), certificate, tenantId.trim(),
                authorityHost, graphEndpoint, c.getAuthorityHost() != null && !c.getAuthorityHost().isBlank(),
                REFRESH_MARGIN, Duration.ofMillis(c.getRequestTimeout()), delegated);
        String appKey = String.join("|", mode.name(), authorityHost, graphEndpoint,
                auth.tenantId().toLowerCase(Locale.ROOT), auth.clientId(), credentialFingerprint, delegatedFingerprint,
                String.valueOf(System.identityHashCode(c.getSslContextParameters())), String.valueOf(c.getMaxRetries()),
                String.valueOf(c.getMaxRetryDelay()), String.valueOf(c.getMaxConcurrentRequests()),
                String.valueOf(c.getRequestTimeout()));
        String key = appKey + "|" + (account == null ? "" : account.toLowerCase(Locale.ROOT));
        // delegated connections that differ only in account (or retry options) share the signed-in user: one sign-in,
        // one token cache, one token store
        String signInKey = delegated == null ? null : String.join("|", authorityHost,
                auth.tenantId().toLowerCase(Locale.ROOT), auth.clientId(), credentialFingerprint,
                delegated.redirectUri().toString(), String.valueOf(delegated.tokenStore()),
                delegated.tokenStoreKey() == null ? "" : fingerprint(delegated.tokenStoreKey()),
                String.valueOf(System.identityHashCode(c.getSslContextParameters())), String.valueOf(c.getRequestTimeout()));
        return new ConnectionSettings(auth, environment, account, c.getMaxRetries(),
                Duration.ofMillis(c.getMaxRetryDelay()), c.getMaxConcurrentRequests(), c.getSslContextParameters(), key,
                signInKey, appKey);
    }

    /** The sign-in options of authMode=authorizationCode, checked. */
    private static DelegatedSettings delegated(Outlook365ConnectionOptions c, String account) {
        require(c.getRedirectUri(), "redirectUri", AuthMode.authorizationCode,
                "the Web redirect URI registered under 'Authentication' of the app registration, e.g."
                                                                               + " https://camel.example.com/provisioning_/callback");
        URI redirect;
        try {
            redirect = new URI(c.getRedirectUri().trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("option redirectUri='" + c.getRedirectUri() + "' is not a URL: give the"
                                               + " callback URL registered in the app registration, e.g."
                                               + " https://camel.example.com/provisioning_/callback");
        }
        if (redirect.getHost() == null || !("https".equalsIgnoreCase(redirect.getScheme())
                || "http".equalsIgnoreCase(redirect.getScheme()) && isLoopback(redirect.getHost()))) {
            throw new IllegalArgumentException("option redirectUri='" + c.getRedirectUri() + "' must be an absolute https"
                                               + " URL (Entra ID allows plain http only for localhost), e.g."
                                               + " https://camel.example.com/provisioning_/callback");
        }
        if (redirect.getRawFragment() != null) {
            throw new IllegalArgumentException("option redirectUri='" + c.getRedirectUri() + "' must not have a"
                                               + " #fragment");
        }
        Set<String> scopes = new java.util.LinkedHashSet<>();
        if (c.getScopes() == null || c.getScopes().isBlank()) {
            scopes.addAll(java.util.List.of("User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"));
            if (account != null) {
                scopes.addAll(java.util.List.of("Mail.ReadWrite.Shared", "Mail.Send.Shared", "Calendars.ReadWrite.Shared"));
            }
        } else {
            for (String scope : c.getScopes().trim().split("[\\s,]+")) {
                if (scope.endsWith("/.default") || scope.equals(".default")) {
                    throw new IllegalArgumentException("option scopes='" + c.getScopes() + "' holds " + scope + ", an"
                                                       + " app-only scope: with authMode=authorizationCode list delegated"
                                                       + " permissions such as Mail.Read Mail.Send");
                }
                if (!DelegatedSettings.SIGN_IN_SCOPES.contains(scope.toLowerCase(Locale.ROOT))) {
                    scopes.add(scope);
                }
            }
        }
        String tokenStore = c.getTokenStore() == null || c.getTokenStore().isBlank() ? null : c.getTokenStore().trim();
        String tokenStoreKey = c.getTokenStoreKey();
        if (tokenStore != null && !tokenStore.startsWith("#")) {
            if (tokenStoreKey == null || tokenStoreKey.isBlank()) {
                throw new IllegalArgumentException("option tokenStoreKey is required with tokenStore='" + tokenStore
                                                   + "': the key that encrypts the token file, e.g."
                                                   + " {{env:OUTLOOK365_TOKEN_STORE_KEY}} (at least 16 characters)");
            }
            if (tokenStoreKey.length() < 16) {
                throw new IllegalArgumentException("option tokenStoreKey is too short (" + tokenStoreKey.length()
                                                   + " characters): use at least 16, e.g. the output of openssl rand"
                                                   + " -base64 32");
            }
            if (Files.isDirectory(Path.of(tokenStore))) {
                throw new IllegalArgumentException("option tokenStore='" + tokenStore + "' is a directory: give a file"
                                                   + " name in it, e.g. " + Path.of(tokenStore, "tokens.bin"));
            }
        }
        String refreshToken = c.getRefreshToken() == null || c.getRefreshToken().isBlank() ? null : c.getRefreshToken();
        if (refreshToken != null && !refreshToken.equals(refreshToken.strip())) {
            throw new IllegalArgumentException("option refreshToken starts or ends with whitespace: copy it exactly");
        }
        return new DelegatedSettings(redirect, Set.copyOf(scopes), refreshToken, tokenStore, tokenStoreKey,
                new DelegatedSettings.SignInPolicy(blankToNull(c.getExpectedAccount()), blankToNull(c.getExpectedTenant()),
                        c.isAllowAccountSwitch(), c.isRequireSetupToken()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The certificate credential from option certificate (base64 PKCS#12) or certificateFile, checked. */
    private static CertificateCredential certificate(Outlook365ConnectionOptions c, AuthMode mode) {
        boolean inline = c.getCertificate() != null && !c.getCertificate().isBlank();
        boolean file = c.getCertificateFile() != null && !c.getCertificateFile().isBlank();
        if (inline && file) {
            throw new IllegalArgumentException("options certificate and certificateFile are both set: give the .pfx one"
                                               + " way only");
        }
        if (!inline && !file) {
            throw new IllegalArgumentException("option certificate (or certificateFile) is required with authMode=" + mode
                                               + ": set certificate to the base64 of the app's PKCS#12 (.pfx) with its"
                                               + " private key, e.g. {{env:OUTLOOK365_CERTIFICATE}}, or certificateFile"
                                               + " to the path of the .pfx");
        }
        char[] password = c.getCertificatePassword() == null ? new char[0] : c.getCertificatePassword().toCharArray();
        byte[] pkcs12;
        String source;
        if (inline) {
            source = "option certificate";
            String text = c.getCertificate().replaceAll("\\s", "");
            if (text.startsWith("-----BEGIN")) {
                throw new IllegalArgumentException("option certificate holds PEM text: it needs the base64 of a PKCS#12"
                                                   + " (.pfx) with the private key, e.g. openssl pkcs12 -export -inkey"
                                                   + " app.key -in app.crt | base64 -w0");
            }
            try {
                pkcs12 = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option certificate is not valid base64: give the base64 of the"
                                                   + " PKCS#12 (.pfx) file, e.g. the output of base64 -w0 app.pfx");
            }
        } else {
            Path path = Path.of(c.getCertificateFile().trim());
            source = "option certificateFile='" + path + "'";
            try {
                pkcs12 = Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(source + ": no such file: give the path of the app's .pfx");
            } catch (IOException e) {
                throw new IllegalArgumentException(source + " cannot be read: " + e.getClass().getSimpleName() + " "
                                                   + e.getMessage());
            }
        }
        return CertificateCredential.fromPkcs12(pkcs12, password, source, Instant.now());
    }

    /**
     * These settings for another mailbox of the same app (app-only): what a connection of one exchange's mailbox uses.
     * Cheap: no option is checked again.
     */
    public ConnectionSettings withAccount(String otherAccount) {
        return new ConnectionSettings(auth, environment, otherAccount, maxRetries, maxRetryDelay, maxConcurrentRequests,
                sslContextParameters, appKey + "|" + (otherAccount == null ? "" : otherAccount.toLowerCase(Locale.ROOT)),
                signInKey, appKey);
    }

    /** The app's name for logs and tooling, {@code clientId@tenant}: the name of a shared app-only connection. */
    public String appName() {
        return auth.clientId() + "@" + auth.tenantId();
    }

    /** A name for logs and tooling: no secret in it. */
    public String displayName() {
        return auth.clientId() + "@" + auth.tenantId() + "/" + (account != null ? account
                : auth.authMode().appOnly() ? "(each exchange's mailbox)" : "me");
    }

    private static <E extends Enum<E>> E required(E value, Class<E> type, String option) {
        if (value == null) {
            throw new IllegalArgumentException("option " + option + " is empty: use one of " + EnumValues.names(type));
        }
        return value;
    }

    private static void require(String value, String option, AuthMode mode, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("option " + option + " is required with authMode=" + mode + ": set it on the"
                                               + " endpoint or as camel.component.outlook365." + option + " (" + what + ")");
        }
    }

    private static void positive(long value, String option) {
        if (value <= 0) {
            throw new IllegalArgumentException("option " + option + "=" + value + " must be greater than 0");
        }
    }

    private static String endpointUrl(String override, String environmentDefault, String option) {
        if (override == null || override.isBlank()) {
            return environmentDefault;
        }
        String value = override.trim();
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + option + "='" + override + "' is not a URL: give e.g. "
                                               + environmentDefault, e);
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("option " + option + "='" + override + "' is not an absolute URL: give e.g. "
                                               + environmentDefault);
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("option " + option + "='" + override + "' must be a scheme and host only"
                                               + " (no path), e.g. " + environmentDefault);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean loopbackHttp = "http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost());
        if (!https && !loopbackHttp) {
            throw new IllegalArgumentException("option " + option + "='" + override + "' must be an https URL (tokens and"
                                               + " mail travel over it); plain http is allowed only on a loopback"
                                               + " address such as http://localhost:8080");
        }
        return value;
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost: never resolved here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + auth + ", account=" + account + "]";
    }
}
