package io.github.outlook365.camel;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.auth.GraphPermission;
import io.github.outlook365.camel.graph.GraphJson;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What tooling and admins are told stays in step with what the component registers: the catalog's list of actions,
 * the permission each trigger and action needs, and the triggers and actions each option applies to.
 */
class OperationsCatalogTest {

    @Test
    void theCatalogListsEveryRegisteredAction() throws Exception {
        String enums = Outlook365Endpoint.class.getDeclaredField("action").getAnnotation(UriPath.class).enums();
        Set<String> inCatalog = new TreeSet<>(Arrays.asList(enums.split(",")));
        Set<String> registered = Outlook365Operations.names().stream().map(n -> n.substring(n.indexOf('/') + 1))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(registered, inCatalog);
    }

    @Test
    void everyMailAndCalendarOperationSaysWhichPermissionItNeeds() {
        Set<String> registered = Outlook365Operations.names().stream().filter(n -> !n.startsWith("connection/"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declaringAPermission = Outlook365Operations.names().stream()
                .filter(n -> Outlook365Operations.find(n).permission() != GraphPermission.NONE)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(registered, declaringAPermission);
    }

    @Test
    void noOptionIsOrphanedEachNamesTheTriggersAndActionsItAppliesTo() throws Exception {
        // given the catalog JSON the build generated, and the connection options (which apply to every operation)
        JsonNode properties = catalog().path("properties");
        Set<String> connectionOptions = Arrays.stream(Outlook365ConnectionOptions.class.getDeclaredFields())
                .filter(f -> f.isAnnotationPresent(UriParam.class)).map(Field::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        connectionOptions.add("connection");

        // when every option of the component (those of Camel's base classes have no configurationClass) is read
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> option : properties.properties()) {
            if (!option.getValue().has("configurationClass")) {
                continue;
            }
            checked++;
            problems.addAll(problems(option.getKey(), option.getValue().path("label").asText(),
                    connectionOptions.contains(option.getKey())));
        }

        // then each is tied to what it applies to, in words Camel's tooling understands
        assertTrue(checked > 60, "only " + checked + " options read from the catalog");
        assertEquals(List.of(), problems);
    }

    @Test
    void aConnectionBeanTakesTheConnectionOptionsOnly() throws Exception {
        // given the options of the catalog that are no connection options
        Set<String> connectionSetters = Arrays.stream(Outlook365ConnectionOptions.class.getMethods())
                .map(java.lang.reflect.Method::getName).filter(n -> n.startsWith("set"))
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> triggerAndActionOptions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> option : catalog().path("properties").properties()) {
            if (option.getValue().has("configurationClass") && !option.getValue().path("label").asText().contains("common")) {
                triggerAndActionOptions.add(option.getKey());
            }
        }

        // then a connection=#bean of Outlook365ConnectionOptions cannot be given any of them
        assertTrue(triggerAndActionOptions.containsAll(List.of("folder", "to", "limit", "timeZone")));
        List<String> settable = triggerAndActionOptions.stream()
                .filter(o -> connectionSetters.contains("set" + Character.toUpperCase(o.charAt(0)) + o.substring(1)))
                .toList();
        assertEquals(List.of(), settable);
    }

    @Test
    void theOldNamesAreDeprecatedInTheCatalogNamingWhatReplacesThem() throws Exception {
        JsonNode properties = catalog().path("properties");

        assertTrue(properties.path("top").path("deprecated").asBoolean());
        assertTrue(properties.path("top").path("deprecationNote").asText().contains("use limit"));
        assertTrue(properties.path("contentType").path("deprecated").asBoolean());
        assertTrue(properties.path("contentType").path("deprecationNote").asText().contains("use bodyContentType"));
        assertEquals("[\"text\",\"html\"]", properties.path("bodyContentType").path("enum").toString());
        assertEquals("[\"clientCredentials\",\"clientCertificate\",\"authorizationCode\"]",
                properties.path("authMode").path("enum").toString());
    }

    /** What is wrong with one option's labels; empty when nothing is. */
    private static List<String> problems(String option, String label, boolean connectionOption) {
        List<String> labels = Arrays.asList(label.split(","));
        List<String> operations = labels.stream().filter(l -> l.contains("/")).toList();
        List<String> problems = new ArrayList<>();
        if (connectionOption) {
            if (!labels.contains("common") || !operations.isEmpty()) {
                problems.add(option + ": a connection option, for every trigger and action, is labelled common: " + label);
            }
            return problems;
        }
        if (operations.isEmpty() || labels.contains("common")) {
            problems.add(option + ": orphaned, its label names no trigger or action: " + label);
            return problems;
        }
        operations.stream().filter(o -> Outlook365Operations.find(o) == null)
                .forEach(o -> problems.add(option + ": " + o + " is no registered trigger or action"));
        if (!problems.isEmpty()) {
            return problems;
        }
        boolean triggersOnly = operations.stream().allMatch(o -> Outlook365Operations.find(o).isTrigger());
        boolean actionsOnly = operations.stream().noneMatch(o -> Outlook365Operations.find(o).isTrigger());
        if (triggersOnly != labels.contains("consumer") || actionsOnly != labels.contains("producer")) {
            problems.add(option + ": consumer / producer must say whether it applies to triggers or actions only: "
                         + label);
        }
        return problems;
    }

    private static JsonNode catalog() throws Exception {
        try (InputStream json = OperationsCatalogTest.class.getResourceAsStream(
                "/META-INF/io/github/outlook365/camel/outlook365.json")) {
            return GraphJson.MAPPER.readTree(json);
        }
    }
}
