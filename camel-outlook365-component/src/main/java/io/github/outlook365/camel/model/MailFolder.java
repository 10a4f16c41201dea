package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;

/** Graph's mailFolder, as mail/listFolders and mail/createFolder deliver it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MailFolder(String id, String displayName, String parentFolderId, Integer childFolderCount,
        Integer unreadItemCount, Integer totalItemCount, Boolean isHidden) {

    public static MailFolder fromGraph(JsonNode json) {
        try {
            return GraphJson.MAPPER.treeToValue(json, MailFolder.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a Graph mailFolder: " + e.getOriginalMessage(), e);
        }
    }
}
