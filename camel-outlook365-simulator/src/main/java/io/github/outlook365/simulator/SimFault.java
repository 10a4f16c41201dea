package io.github.outlook365.simulator;

import java.time.Duration;

/**
 * A fault to inject: the next {@code times} Graph or token requests whose method matches ({@code null} = any) and
 * whose path matches {@code pathRegex} (with {@link java.util.regex.Matcher#find()}) are answered with {@code status}
 * and an error of {@code code}, plus a {@code Retry-After} header in whole seconds (rounded up) when
 * {@code retryAfter} is not null. A null {@code pathRegex} matches every path; a null {@code code} becomes the usual
 * code of the status ("TooManyRequests", "ServiceNotAvailable", ...). Graph requests get Graph's error JSON, token
 * requests Entra's ({@code "error": code}).
 * <p>
 * {@code mode} says when the fault strikes: {@link Mode#INSTEAD} (the request is not carried out),
 * {@link Mode#AFTER_CARRIED_OUT} (the request takes effect, then its answer is lost and the error is sent instead, as
 * when a gateway times out behind a server that did the work), or {@link Mode#STALLED_BODY} (status 200, its headers
 * and the start of a body, then nothing for {@code stall}, then the connection closes short of the announced length).
 */
public record SimFault(String method, String pathRegex, int status, String code, int times, Duration retryAfter,
        Mode mode, Duration stall) {

    /** When the fault strikes. */
    public enum Mode {
        /** Answered instead of the request: nothing happened. */
        INSTEAD,
        /** The request is carried out, then the error is answered instead of its answer. */
        AFTER_CARRIED_OUT,
        /** Headers and the start of a body are sent, then the answer stalls. */
        STALLED_BODY
    }

    public SimFault {
        if (pathRegex == null) {
            pathRegex = "";
        }
        java.util.regex.Pattern.compile(pathRegex);
        if (mode == null) {
            mode = Mode.INSTEAD;
        }
        if (mode == Mode.STALLED_BODY) {
            if (status < 200 || status > 299) {
                throw new IllegalArgumentException("a stalled body follows a success status (2xx): " + status);
            }
            if (stall == null || stall.isNegative() || stall.isZero()) {
                throw new IllegalArgumentException("a stalled body needs a positive stall");
            }
        } else if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an error status (4xx or 5xx): " + status);
        }
        if (code == null || code.isBlank()) {
            code = defaultCode(status);
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
    }

    /** A fault answered instead of the request. */
    public SimFault(String method, String pathRegex, int status, String code, int times, Duration retryAfter) {
        this(method, pathRegex, status, code, times, retryAfter, Mode.INSTEAD, null);
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
            case 200:
                return "OK";
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

    /**
     * The request takes effect (a mail is sent, an event created), then {@code status} is answered instead of its
     * answer: what a client sees when a gateway gives up on a server that did the work.
     */
    public static SimFault afterCarriedOut(String method, String pathRegex, int status, int times) {
        return new SimFault(method, pathRegex, status, null, times, null, Mode.AFTER_CARRIED_OUT, null);
    }

    /**
     * 200 with its headers and the first bytes of a JSON body announcing more, then silence for {@code stall}, then
     * the connection closes: a client whose deadline stops at the headers hangs for the whole stall.
     */
    public static SimFault stalledBody(String method, String pathRegex, int times, Duration stall) {
        return new SimFault(method, pathRegex, 200, "OK", times, null, Mode.STALLED_BODY, stall);
    }
}
