package io.github.outlook365.camel.benchmark;

import java.io.FileInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.ForkedCamel;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The floor of the trigger benchmark, in a JVM of its own: the same Graph pages the trigger reads for its backlog
 * (the folder's list, oldest first, page after page from the newest receivedDateTime of the page before), fetched with
 * a bare {@link HttpClient} and parsed with Jackson, and nothing else done with them. What a trigger costs beyond this
 * is the component's own work.
 */
public final class FloorProcess {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FloorProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = ForkedCamel.arguments(args);
        ProcessMeter meter = new ProcessMeter();
        String base = a.get("base");
        int pageSize = Integer.parseInt(a.get("pageSize"));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(a.get("trust"))) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();

        String form = "grant_type=client_credentials&client_id=" + enc(a.get("client")) + "&client_secret="
                      + enc(a.get("secret")) + "&scope=" + enc(base + "/.default");
        JsonNode token = MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/" + a.get("tenant")
                                                                                      + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
        String bearer = "Bearer " + token.get("access_token").asText();
        String mailbox = base + "/v1.0/users/" + a.get("account");
        String folder = get(http, mailbox + "/mailFolders/inbox?$select=id", bearer).get("id").asText();

        meter.start();
        Instant from = Instant.parse(a.get("since"));
        String link = null;
        long items = 0;
        long requests = 0;
        while (true) {
            String url = link != null ? link
                    : mailbox + "/mailFolders/" + folder + "/messages?$select=" + a.get("select") + "&$filter="
                      + enc("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS)) + "&$orderby="
                      + enc("receivedDateTime asc") + "&$top=" + pageSize;
            JsonNode page = get(http, url, bearer);
            requests++;
            Instant newest = null;
            for (JsonNode item : page.get("value")) {
                items++;
                Instant received = Instant.parse(item.get("receivedDateTime").asText());
                newest = newest == null || received.isAfter(newest) ? received : newest;
            }
            JsonNode next = page.get("@odata.nextLink");
            if (next == null) {
                break;
            }
            if (newest != null && newest.isAfter(from)) {
                from = newest;
                link = null;
            } else {
                link = next.asText();
            }
        }
        meter.stop();
        meter.put("items", items);
        meter.put("requests", requests);
        meter.print();
        System.exit(0);
    }

    private static JsonNode get(HttpClient http, String url, String bearer) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return MAPPER.readTree(response.body());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
