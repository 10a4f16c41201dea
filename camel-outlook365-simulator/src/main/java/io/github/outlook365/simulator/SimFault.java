package io.github.outlook365.simulator;

import java.time.Duration;

/**
 * A fault to inject: the next {@code times} Graph or token requests whose method matches ({@code null} = any) and
 * whose path matches {@code pathRegex} (with {@link java.util.regex.Matcher#find()}) are answered with {@code status}
 * and an error of {@code code}, plus a {@code Retry-After} header in whole seconds (rounded up) when
 * {@code retryAfter} is not null. A null {@code pathRegex} matches every path; a null {@code code} becomes the usual
 * code of the status ("TooManyRequests", "ServiceNotAvailable", ...). Graph requests get Graph's error JSON, token
 * requests Entra's ({@code "error": code}).
 */
public record SimFault(String method, String pathRegex, int status, String code, int times, Duration retryAfter) {

    public SimFault {
        if (pathRegex == null) {
            pathRegex = "";
        }
        java.util.regex.Pattern.compile(pathRegex);
        if (code == null || code.isBlank()) {
            code = defaultCode(status);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an error status (4xx or 5xx): " + status);
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
    }

    private static String defaultCode(int status) {
        switch (status) {
            case 429:
                return "TooManyRequests";
            case 500:
                return "InternalServerError";
            case 502:
                return "BadGateway";
            case 503:
                return "ServiceNotAvailable";
            case 504:
                return "GatewayTimeout";
            default:
                return "UnknownError";
        }
    }

    /** 429 Too Many Requests with code "ApplicationThrottled", like Exchange Online's mailbox throttling. */
    public static SimFault throttle(String pathRegex, int times, Duration retryAfter) {
        return new SimFault(null, pathRegex, 429, "ApplicationThrottled", times, retryAfter);
    }

    /** Any status and code, without Retry-After. */
    public static SimFault status(String pathRegex, int status, String code, int times) {
        return new SimFault(null, pathRegex, status, code, times, null);
    }
}
