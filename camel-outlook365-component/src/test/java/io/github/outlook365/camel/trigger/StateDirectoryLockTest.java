package io.github.outlook365.camel.trigger;

import java.nio.file.Path;

import io.github.outlook365.camel.Outlook365Exception;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDirectoryLockTest {

    private static final String KEY = FileTriggerStoreTest.KEY;
    private static final String OTHER_KEY = "mail.sent/contoso.onmicrosoft.com/ada@contoso.onmicrosoft.com/sentitems";

    @TempDir
    Path directory;

    // two components, as two CamelContexts of one JVM would have
    private final TriggerStateStores first = new TriggerStateStores();
    private final TriggerStateStores second = new TriggerStateStores();
    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        first.stop();
        second.stop();
    }

    private TriggerState open(TriggerStateStores stores, String key) {
        return stores.open(key, directory.toString(), null, null, context);
    }

    @Test
    void aSecondProcessOnTheSameStateDirectoryIsRefusedWithAClearError() throws Exception {
        // given this process runs a trigger on the directory
        TriggerState running = open(first, KEY);

        // when another process opens a trigger of its own there
        String[] refused = StateStoreChild.run("open", directory.toRealPath().toString(), OTHER_KEY);

        // then it is refused at its start, told who holds the directory and what to do
        assertEquals("2", refused[0], refused[1]);
        assertTrue(refused[1].contains("refused: option stateDirectory='" + directory.toRealPath() + "' is in use by another"
                                       + " process (pid " + ProcessHandle.current().pid() + " since "), refused[1]);
        assertTrue(refused[1].contains("Stop the other instance, or give this one its own stateDirectory"), refused[1]);

        // and once this process's trigger stops, the other process may start
        running.close();
        String[] opened = StateStoreChild.run("open", directory.toRealPath().toString(), OTHER_KEY);
        assertEquals("0", opened[0], opened[1]);
    }

    @Test
    void withinOneJvmTheLockIsSharedAndReleasedWhenTheLastTriggerStops() throws Exception {
        // given two contexts of this JVM with a trigger each on one directory
        TriggerState a = open(first, KEY);
        TriggerState b = open(second, OTHER_KEY);

        // when the first stops, the directory stays locked for other processes
        a.close();
        assertEquals("2", StateStoreChild.run("open", directory.toRealPath().toString(), "x")[0]);

        // when the last stops (its component stops), the lock is released
        second.stop();
        assertEquals("0", StateStoreChild.run("open", directory.toRealPath().toString(), "x")[0]);
        b.close();
    }

    @Test
    void twoLiveTriggersWithOneStateKeyInOneJvmAreAnError() throws Exception {
        // given a trigger running with a key
        TriggerState running = open(first, KEY);

        // when another context starts a trigger with the same key on the same directory
        Outlook365Exception e = assertThrows(Outlook365Exception.class, () -> open(second, KEY));

        // then it is refused with what to change
        assertEquals("two triggers use the trigger state '" + KEY + "' (in stateDirectory " + directory.toRealPath()
                     + ") at the same time: they would fire each other's mail and move each other's cursor. Give one of"
                     + " them its own stateKey option (each then fires every mail itself), or remove the duplicate route",
                e.getMessage());

        // and once the first stops, the key is free again
        running.close();
        open(second, KEY).close();
    }
}
