package io.github.outlook365.camel;

/**
 * A named connection, defined as a bean (YAML {@code beans:} or Java) with the component's connection option names
 * (authMode, tenantId, clientId, clientSecret, certificate, account, redirectUri, tokenStore, environment,
 * reconnectDelay, ...) and used by endpoints with {@code connection=#name}. Every endpoint that names the same bean
 * shares one connection: one token store, one Graph client, one throttle budget, one state. Only the connection
 * options of the bean count; trigger and action options stay on the endpoint.
 *
 * <pre>
 * - beans:
 *     - name: sales
 *       type: io.github.outlook365.camel.Outlook365ConnectionOptions
 *       properties:
 *         tenantId: "{{env:SALES_TENANT_ID}}"
 *         clientId: "{{env:SALES_CLIENT_ID}}"
 *         clientSecret: "{{env:SALES_CLIENT_SECRET}}"
 *         account: sales@contoso.com
 * - route:
 *     from:
 *       uri: outlook365:mail/received?connection=#sales
 * </pre>
 */
public class Outlook365ConnectionOptions extends Outlook365Configuration {

    @Override
    public String toString() {
        // never the secret
        return "Outlook365ConnectionOptions[authMode=" + getAuthMode() + ", clientId=" + getClientId() + ", tenantId="
               + getTenantId() + ", account=" + getAccount() + "]";
    }
}
