package io.github.outlook365.camel;

import org.apache.camel.RuntimeCamelException;

/**
 * Base of every exception the component raises. Messages say what went wrong and what to do next, and never carry a
 * secret, a token or a certificate password.
 */
public class Outlook365Exception extends RuntimeCamelException {

    public Outlook365Exception(String message) {
        super(message);
    }

    public Outlook365Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
