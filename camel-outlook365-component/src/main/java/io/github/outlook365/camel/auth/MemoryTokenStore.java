package io.github.outlook365.camel.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps tokens only while the application runs: after a restart someone has to sign in again. */
public final class MemoryTokenStore implements TokenStore {

    private final Map<String, String> caches = new ConcurrentHashMap<>();

    @Override
    public String load(String connectionId) {
        return caches.get(connectionId);
    }

    @Override
    public void save(String connectionId, String serializedCache) {
        caches.put(connectionId, serializedCache);
    }

    @Override
    public String toString() {
        return "MemoryTokenStore";
    }
}
