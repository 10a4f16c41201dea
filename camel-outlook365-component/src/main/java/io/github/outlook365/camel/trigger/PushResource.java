package io.github.outlook365.camel.trigger;

/**
 * What a trigger subscribes to for change notifications: a Graph resource (without {@code /v1.0/}, e.g.
 * {@code users/a@contoso.com/mailFolders('AAMk...')/messages}) and Graph's change types
 * ({@code created}, {@code updated}, {@code deleted}, comma-separated).
 */
public record PushResource(String path, String changeType) {

    /** A resource from a path of {@code Outlook365Connection.mailboxPath()} (which starts with /v1.0/). */
    public static PushResource of(String graphPath, String changeType) {
        String path = graphPath.startsWith("/v1.0/") ? graphPath.substring("/v1.0/".length()) : graphPath;
        return new PushResource(path, changeType);
    }
}
