package io.github.outlook365.camel;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.github.outlook365.camel.auth.GraphPermission;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What tooling and admins are told stays in step with what the component registers: the catalog's list of actions,
 * and the permission each trigger and action needs.
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
}
