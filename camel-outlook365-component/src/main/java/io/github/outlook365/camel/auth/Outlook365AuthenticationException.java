package io.github.outlook365.camel.auth;

import io.github.outlook365.camel.Outlook365Exception;

/**
 * Entra ID refused to issue a token. Carries the OAuth {@code error} and the AADSTS code, which is what callers decide on
 * (never the description text).
 */
public class Outlook365AuthenticationException extends Outlook365Exception {

    private final String error;
    private final String aadstsCode;
    private final Integer httpStatus;

    public Outlook365AuthenticationException(String message, String error, String aadstsCode, Integer httpStatus,
                                             Throwable cause) {
        super(message, cause);
        this.error = error;
        this.aadstsCode = aadstsCode;
        this.httpStatus = httpStatus;
    }

    /** The OAuth 2.0 error, e.g. {@code invalid_client}; null when Entra ID was not reached. */
    public String getError() {
        return error;
    }

    /** The Entra ID error code without its prefix, e.g. {@code 7000215}; null when none was given. */
    public String getAadstsCode() {
        return aadstsCode;
    }

    public Integer getHttpStatus() {
        return httpStatus;
    }

    /** True when a person has to act (wrong or expired credentials, unknown app or tenant); false for outages. */
    public boolean needsPerson() {
        return error != null && (httpStatus == null || httpStatus >= 400 && httpStatus < 500);
    }
}
