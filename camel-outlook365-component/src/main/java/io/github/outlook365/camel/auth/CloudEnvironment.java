package io.github.outlook365.camel.auth;

/**
 * The Microsoft cloud an organisation lives in. Every URL the component calls follows from it.
 */
public enum CloudEnvironment {
    /** Microsoft's global cloud (Office 365 commercial, GCC). */
    office365("https://login.microsoftonline.com", "https://graph.microsoft.com", true),
    /** US Government L4 (GCC High). */
    usGovL4("https://login.microsoftonline.us", "https://graph.microsoft.us", true),
    /** US Government L5 (DoD). */
    usGovL5("https://login.microsoftonline.us", "https://dod-graph.microsoft.us", true),
    /** China, operated by 21Vianet. Message delta is not offered there. */
    china("https://login.partner.microsoftonline.cn", "https://microsoftgraph.chinacloudapi.cn", false);

    private final String authorityHost;
    private final String graphEndpoint;
    private final boolean messageDeltaAvailable;

    CloudEnvironment(String authorityHost, String graphEndpoint, boolean messageDeltaAvailable) {
        this.authorityHost = authorityHost;
        this.graphEndpoint = graphEndpoint;
        this.messageDeltaAvailable = messageDeltaAvailable;
    }

    public String authorityHost() {
        return authorityHost;
    }

    public String graphEndpoint() {
        return graphEndpoint;
    }

    public boolean messageDeltaAvailable() {
        return messageDeltaAvailable;
    }
}
