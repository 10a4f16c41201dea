package io.github.outlook365.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error answer in Microsoft Graph's error shape: {"error":{"code","message","innerError":{...}}}. */
final class GraphException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();

    GraphException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    GraphException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static GraphException badRequest(String message) {
        return new GraphException(400, "BadRequest", message);
    }

    static GraphException itemNotFound() {
        return new GraphException(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    static GraphException invalidUser(String upn) {
        return new GraphException(404, "ErrorInvalidUser", "The requested user '" + upn + "' is invalid.");
    }

    static GraphException accessDenied() {
        return new GraphException(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }

    static GraphException segmentNotFound(String segment) {
        return badRequest("Resource not found for the segment '" + segment + "'.");
    }

    static GraphException methodNotAllowed(String method) {
        return new GraphException(405, "Request_BadRequest",
                "The HTTP method '" + method + "' is not supported by this resource.");
    }
}
