package io.github.outlook365.camel;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.UriParam;

/**
 * The component's secret options, read from their {@code @UriParam(secret = true)} (one place says which options are
 * secret: the annotation that also marks them in the catalog), and made known to Camel's keyword-based masking.
 */
public final class SecretOptions {

    /**
     * The names of the options marked secret, e.g. clientSecret, certificatePassword, tokenStoreKey: of the endpoint's
     * options and the connection options it extends, where the secrets live.
     */
    public static final List<String> NAMES = Stream.<Class<?>> iterate(Outlook365Configuration.class, c -> c != null,
                    Class::getSuperclass)
            .flatMap(c -> Arrays.stream(c.getDeclaredFields()))
            .filter(f -> f.isAnnotationPresent(UriParam.class) && f.getAnnotation(UriParam.class).secret())
            .map(Field::getName)
            .toList();

    private SecretOptions() {
    }

    /**
     * Adds the secret option names to the context's additional sensitive keywords, which camel-main's auto-configuration
     * summary (and every other place that uses CamelContextHelper.containsSensitive) masks. Camel's own keyword list
     * knows clientSecret and refreshToken but not certificate, certificatePassword or tokenStoreKey.
     */
    public static void registerSensitiveKeywords(CamelContext context) {
        if (context == null) {
            return;
        }
        String existing = context.getCamelContextExtension().getAdditionalSensitiveKeywords();
        Set<String> keywords = new LinkedHashSet<>();
        if (existing != null && !existing.isBlank()) {
            Arrays.stream(existing.split(",")).map(String::trim).filter(k -> !k.isEmpty()).forEach(keywords::add);
        }
        int before = keywords.size();
        NAMES.forEach(name -> keywords.add(name.toLowerCase(Locale.ENGLISH)));
        if (keywords.size() != before) {
            context.getCamelContextExtension().setAdditionalSensitiveKeywords(String.join(",", keywords));
        }
    }
}
