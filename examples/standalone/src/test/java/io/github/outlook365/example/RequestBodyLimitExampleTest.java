package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The example's HTTP port as an anonymous sender sees it: a request body larger than 1 MB is refused (413) before any
 * route reads it, on the notification receiver (which faces Graph, so the internet), while a notification of ordinary
 * size is still answered. (Jolokia, on camel-main's management side, keeps Vert.x's 10 MB: camel-main has no option
 * for it; it answers the console's loopback origins only.)
 */
class RequestBodyLimitExampleTest {

    private final StandaloneExample example = new StandaloneExample();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        example.httpPort(port);
        example.configure(null);
        example.main().addOverrideProperty("outlook365.notifications.enabled", "true");
        example.main().addOverrideProperty("outlook365.example.selfMail", "false");
        example.main().start();
    }

    @AfterEach
    void stop() {
        example.main().stop();
        example.close();
    }

    @Test
    void aBodyOverOneMegabyteIsRefusedUnreadAndAnOrdinaryNotificationIsAnswered() throws Exception {
        String notifications = "http://localhost:" + port + "/outlook365/notifications";
        String forged = "{\"value\":[{\"subscriptionId\":\"s1\",\"clientState\":\"guess\",\"changeType\":\"created\","
                        + "\"resource\":\"x\"}]}";
        assertEquals(202, post(notifications, forged).statusCode());

        // 2 MB: under Vert.x's own default of 10 MB, over the example's limit
        String big = "{\"value\":[" + "{\"subscriptionId\":\"s1\"},".repeat(2 * 1024 * 1024 / 24) + "{}]}";
        assertEquals(413, post(notifications, big).statusCode());
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Origin", "http://localhost:" + port).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
