package io.github.outlook365.karaf;

/** A mistake in etc/io.github.outlook365.cfg, said in one line that names the key and never carries a value. */
final class BadConfiguration extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadConfiguration(String message) {
        super(message);
    }
}
