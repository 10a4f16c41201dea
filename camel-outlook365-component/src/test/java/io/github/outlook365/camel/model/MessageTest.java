package io.github.outlook365.camel.model;

import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Message#fromGraph(JsonNode)} reads the JSON tree by hand (a trigger reads every message of a backlog); it must
 * give exactly what Jackson's binding of the record gives, for every shape Graph sends.
 */
class MessageTest {

    static Stream<Arguments> graphMessages() {
        return Stream.of(
                Arguments.of("a whole message, as a trigger selects it", """
                        {"@odata.type":"#microsoft.graph.message","@odata.etag":"W/\\"CQAAABYAAAA\\"",
                         "id":"AAMkAGI2THVSAAA=","subject":"Invoice 7","bodyPreview":"Please find",
                         "body":{"contentType":"html","content":"<p>Please find</p>"},
                         "from":{"emailAddress":{"name":"Carol","address":"carol@fabrikam.example"}},
                         "sender":{"emailAddress":{"name":"Carol","address":"carol@fabrikam.example"}},
                         "toRecipients":[{"emailAddress":{"name":"Ada","address":"ada@contoso.example"}},
                                         {"emailAddress":{"address":"bob@contoso.example"}}],
                         "ccRecipients":[],"bccRecipients":[],
                         "replyTo":[{"emailAddress":{"name":"Billing","address":"billing@fabrikam.example"}}],
                         "receivedDateTime":"2026-01-31T09:00:00Z","sentDateTime":"2026-01-31T08:59:58Z",
                         "hasAttachments":true,"importance":"high","isRead":false,"isDraft":false,
                         "conversationId":"AAQkAGI2=","internetMessageId":"<abc@fabrikam.example>",
                         "parentFolderId":"AQMkADAw","categories":["Red category","Invoices"],
                         "flag":{"flagStatus":"flagged","dueDateTime":{"dateTime":"2026-02-01T00:00:00","timeZone":"UTC"}},
                         "webLink":"https://outlook.office365.com/owa/?ItemID=AAMk","inferenceClassification":"focused"}
                        """),
                Arguments.of("only an id and times with an offset", """
                        {"id":"AAMkAGI3","receivedDateTime":"2026-01-31T10:00:00+01:00",
                         "sentDateTime":"2026-01-31T09:59:58.123-05:00"}
                        """),
                Arguments.of("nulls where Graph sends them", """
                        {"id":"AAMkAGI4","subject":null,"body":null,"from":null,"toRecipients":null,"flag":null,
                         "categories":[],"isRead":null,"receivedDateTime":null,"webLink":null}
                        """),
                Arguments.of("a recipient without an address, a category null", """
                        {"id":"AAMkAGI5","from":{"emailAddress":{"name":"No address"}},"sender":{},
                         "categories":[null,"Blue"],"body":{"contentType":"text"}}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphMessages")
    void readsWhatJacksonsBindingReads(String name, String graphJson) throws Exception {
        JsonNode json = GraphJson.MAPPER.readTree(graphJson);

        Message byHand = Message.fromGraph(json);
        Message byJackson = GraphJson.MAPPER.treeToValue(json, Message.class).withRaw(json);

        assertEquals(byJackson, byHand);
    }
}
