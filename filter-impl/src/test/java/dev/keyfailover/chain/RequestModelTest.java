package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.api.ModelSource;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * behaviour.md §9: the model of a request, read from the top-level {@code "model"} string of its
 * JSON body with quick scans of its start and end (never the JSON tree), else from the path.
 */
class RequestModelTest {

    /** 1 MiB of messages: far beyond the quick scans' windows. */
    static final String MESSAGES = messages(1 << 20);

    private static String messages(int size) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; text.length() < size; i++) {
            text.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"message ").append(i)
                    .append(" with \\\"quotes\\\", {braces} and [brackets]\"}");
        }
        return text.append(']').toString();
    }

    private static String find(String json) {
        return TopLevelString.find(json.getBytes(StandardCharsets.UTF_8), "model");
    }

    // ---- where the model is ----

    @Test
    void aModelFirstIsFound() {
        assertThat(find("{\"model\":\"gpt-4o\",\"messages\":" + MESSAGES + "}")).isEqualTo("gpt-4o");
    }

    @Test
    void aModelLastAfterAMebibyteOfMessagesIsFound() {
        assertThat(find("{\"messages\":" + MESSAGES + ",\"model\":\"gpt-4o\"}")).isEqualTo("gpt-4o");
    }

    @Test
    void aModelAtTheEndIsFoundByTheQuickScanWithoutParsingTheMiddle() {
        // The middle is not JSON at all: a full parse would give up, so only the scan of the end can answer.
        String broken = "{\"messages\":[" + "{{{ not json ]]] ".repeat(64 * 1024) + "],\"stream\":true,\"model\":\"gpt-4o\"}";

        assertThat(TopLevelString.parse(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)), "model"))
                .as("the full parse cannot tell").isNull();
        assertThat(find(broken)).isEqualTo("gpt-4o");
    }

    @Test
    void aModelAtTheStartIsFoundByTheQuickScanWithoutParsingTheRest() {
        String broken = "{\"model\":\"gpt-4o\",\"messages\":[" + "{{{ not json ]]] ".repeat(64 * 1024);

        assertThat(find(broken)).isEqualTo("gpt-4o");
    }

    @Test
    void aModelInTheMiddleOfALargeBodyIsFoundByTheFullParse() {
        String json = "{\"messages\":" + MESSAGES + ",\"model\":\"gpt-4o\",\"tools\":" + MESSAGES + "}";

        assertThat(find(json)).isEqualTo("gpt-4o");
    }

    @Test
    void aLargeBodyWithoutATopLevelModelHasNone() {
        assertThat(find("{\"messages\":" + MESSAGES + ",\"stream\":true}")).isNull();
    }

    // ---- which "model" counts ----

    @Test
    void modelKeysNestedInMessagesOrToolsAreIgnored() {
        assertThat(find("{\"messages\":[{\"model\":\"inner\"}],\"tools\":[{\"function\":{\"model\":\"tool\"}}],"
                + "\"model\":\"outer\"}")).isEqualTo("outer");
        assertThat(find("{\"messages\":[{\"model\":\"inner\"}],\"metadata\":{\"model\":\"meta\"}}")).isNull();
    }

    @Test
    void aNestedModelNearTheEndOfALargeBodyIsNotMistakenForTheTopLevelOne() {
        assertThat(find("{\"model\":\"outer\",\"messages\":" + MESSAGES + ",\"metadata\":{\"model\":\"inner\"}}"))
                .isEqualTo("outer");
        assertThat(find("{\"messages\":" + MESSAGES + ",\"metadata\":{\"model\":\"inner\"}}")).isNull();
        assertThat(find("{\"messages\":" + MESSAGES + ",\"metadata\":{\"model\":\"inner\"},\"model\":\"outer\"}"))
                .isEqualTo("outer");
        assertThat(find("{\"messages\":" + MESSAGES.substring(0, MESSAGES.length() - 1)
                + ",{\"role\":\"user\",\"model\":\"inner\"}]}")).isNull();
    }

    @Test
    void aModelNamedInsideAStringIsNotAKey() {
        assertThat(find("{\"prompt\":\"say \\\"model\\\":\\\"fake\\\"\",\"model\":\"real\"}")).isEqualTo("real");
        assertThat(find("{\"messages\":" + MESSAGES + ",\"prompt\":\"x\\\",\\\"model\\\":\\\"fake\"}")).isNull();
    }

    // ---- how it is written ----

    @Test
    void escapedModelStringsAreDecoded() {
        assertThat(find("{\"model\":\"gpt-\\u0034o\"}")).isEqualTo("gpt-4o");
        assertThat(find("{\"model\":\"a\\\"b\\\\c\\/d\"}")).isEqualTo("a\"b\\c/d");
        assertThat(find("{\"messages\":" + MESSAGES + ",\"model\":\"gpt-\\u0034o\\\\\"}")).isEqualTo("gpt-4o\\");
    }

    @Test
    void unicodeModelNamesAreKept() {
        assertThat(find("{\"model\":\"mod\u00e8le-\u00fc\"}")).isEqualTo("mod\u00e8le-\u00fc");
        assertThat(find("{\"messages\":" + MESSAGES + ",\"model\":\"mod\u00e8le-\u00fc\"}")).isEqualTo("mod\u00e8le-\u00fc");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
        "{\"model\":\"m\"}",
        "{ \"model\" : \"m\" }",
        "\n\t{\r\n\t\"model\"\n:\n\t\"m\"\r\n}\n",
        "  {\"stream\" : true , \"n\": 1, \"temperature\":0.5,\"stop\":null, \"model\":\"m\"}  ",
        "{\"messages\":[],\"model\"  :  \"m\"  \n}  \n"})
    void whitespaceAnywhereIsAllowed(String json) {
        assertThat(find(json)).isEqualTo("m");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"  \"model\" : \"m\"  }", "\n\"model\"\n:\n\"m\"\n}\n\n", ",\"n\":2 , \"model\":\"m\"}"})
    void whitespaceAroundAModelAtTheEndOfALargeBodyIsAllowed(String end) {
        assertThat(find("{\"messages\":" + MESSAGES + (end.startsWith(",") ? "" : ",") + end)).isEqualTo("m");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"42", "null", "true", "{\"name\":\"m\"}", "[\"m\"]", "-1.5e3"})
    void aModelThatIsNotAStringIsNoModel(String value) {
        assertThat(find("{\"model\":" + value + ",\"messages\":[]}")).isNull();
        assertThat(find("{\"messages\":[],\"model\":" + value + "}")).isNull();
        assertThat(find("{\"messages\":" + MESSAGES + ",\"model\":" + value + "}")).isNull();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", "model=gpt-4o", "[{\"model\":\"m\"}]", "\"model\"", "{\"model\"}", "{model:\"m\"}", "<xml model=\"m\"/>", "null"})
    void aBodyThatIsNotAJsonObjectHasNoModel(String body) {
        assertThat(find(body)).isNull();
    }

    // ---- RequestModel: body, path, spilled body ----

    private static ClassicHttpRequest request(String path, byte[] body, ContentType type) {
        return ClassicRequestBuilder.post("http://upstream.test" + path)
                .setEntity(new ByteArrayEntity(body, type)).build();
    }

    private static String modelOf(String path, String body, ContentType type, BodyLimits limits) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (ReplayableBody replayable = ReplayableBody.of(new InputStreamEntity(new ByteArrayInputStream(bytes),
                bytes.length, type), limits)) {
            ClassicHttpRequest request = ClassicRequestBuilder.post("http://upstream.test" + path)
                    .setEntity(replayable.entity()).build();
            return RequestModel.of(request, replayable, ModelSource.DEFAULT);
        }
    }

    @Test
    void theBodysModelWinsOverThePath() throws Exception {
        assertThat(modelOf("/openai/deployments/dep/chat/completions", "{\"model\":\"m\"}",
                ContentType.APPLICATION_JSON, BodyLimits.defaults())).isEqualTo("m");
    }

    @Test
    void withoutAModelInTheBodyThePathTells() throws Exception {
        assertThat(modelOf("/openai/deployments/dep/chat/completions?api-version=1", "{\"messages\":[]}",
                ContentType.APPLICATION_JSON, BodyLimits.defaults())).isEqualTo("dep");
        assertThat(modelOf("/v1beta/models/gemini-pro:generateContent", "{\"model\":\"\"}",
                ContentType.APPLICATION_JSON, BodyLimits.defaults())).isEqualTo("gemini-pro");
    }

    @Test
    void aBodyThatIsNotJsonIsNotRead() throws Exception {
        assertThat(modelOf("/v1/audio/transcriptions", "{\"model\":\"whisper-1\"}",
                ContentType.MULTIPART_FORM_DATA, BodyLimits.defaults())).isNull();
    }

    @Test
    void aRequestWithoutABodyTakesThePath() {
        ClassicHttpRequest get = ClassicRequestBuilder.get("http://upstream.test/v1/models/gpt-4o").build();

        assertThat(RequestModel.of(get, null, ModelSource.DEFAULT)).isEqualTo("gpt-4o");
    }

    @Test
    void aProvidersModelSourceNamesTheBodyFieldAndThePath() throws Exception {
        ModelSource source = new ModelSource("engine", java.util.List.of("/engines/"));
        byte[] bytes = "{\"model\":\"ignored\",\"engine\":\"e-1\"}".getBytes(StandardCharsets.UTF_8);
        try (ReplayableBody body = ReplayableBody.of(new InputStreamEntity(new ByteArrayInputStream(bytes),
                bytes.length, ContentType.APPLICATION_JSON), BodyLimits.defaults())) {
            ClassicHttpRequest request = ClassicRequestBuilder.post("http://upstream.test/v1/models/other")
                    .setEntity(body.entity()).build();
            assertThat(RequestModel.of(request, body, source)).isEqualTo("e-1");
        }
        ClassicHttpRequest get = ClassicRequestBuilder.get("http://upstream.test/v1/engines/e-2/completions").build();
        assertThat(RequestModel.of(get, null, source)).isEqualTo("e-2");
        assertThat(RequestModel.of(get, null, ModelSource.NONE)).isNull();
    }

    @Test
    void modelsInPaths() {
        assertThat(RequestModel.fromPath("/openai/deployments/gpt4o-east/chat/completions?api-version=2024-06-01", ModelSource.DEFAULT.pathMarkers()))
                .isEqualTo("gpt4o-east");
        assertThat(RequestModel.fromPath("/v1beta/models/gemini-pro:generateContent", ModelSource.DEFAULT.pathMarkers())).isEqualTo("gemini-pro");
        assertThat(RequestModel.fromPath("/v1beta/models/gemini-pro:streamGenerateContent?alt=sse", ModelSource.DEFAULT.pathMarkers()))
                .isEqualTo("gemini-pro");
        assertThat(RequestModel.fromPath("/v1/models/gpt-4o", ModelSource.DEFAULT.pathMarkers())).isEqualTo("gpt-4o");
        assertThat(RequestModel.fromPath("/v1/models", ModelSource.DEFAULT.pathMarkers())).isNull();
        assertThat(RequestModel.fromPath("/v1/models/", ModelSource.DEFAULT.pathMarkers())).isNull();
        assertThat(RequestModel.fromPath("/openai/deployments//chat", ModelSource.DEFAULT.pathMarkers())).isNull();
        assertThat(RequestModel.fromPath("/v1/chat/completions?model=x", ModelSource.DEFAULT.pathMarkers())).isNull();
        assertThat(RequestModel.fromPath(null, ModelSource.DEFAULT.pathMarkers())).isNull();
    }

    @Test
    void aSpilledBodyIsReadWhereItLiesWhereverItsModelIs(@TempDir Path spill) throws Exception {
        BodyLimits small = new BodyLimits(1024, BodyLimits.DEFAULT_MAX_BYTES, spill);

        assertThat(modelOf("/v1/chat/completions", "{\"model\":\"first\",\"messages\":" + MESSAGES + "}",
                ContentType.APPLICATION_JSON, small)).isEqualTo("first");
        assertThat(modelOf("/v1/chat/completions", "{\"messages\":" + MESSAGES + ",\"model\":\"last\"}",
                ContentType.APPLICATION_JSON, small)).isEqualTo("last");
        assertThat(modelOf("/v1/chat/completions", "{\"messages\":" + MESSAGES + ",\"model\":\"middle\",\"tools\":"
                + MESSAGES + "}", ContentType.APPLICATION_JSON, small)).isEqualTo("middle");
        assertThat(modelOf("/v1/chat/completions", "{\"messages\":" + MESSAGES + "}", ContentType.APPLICATION_JSON,
                small)).isNull();
        assertThat(modelOf("/v1/chat/completions", "{\"messages\":[],\"model\":\"small-but-spilled\"}"
                + " ".repeat(2000), ContentType.APPLICATION_JSON, small)).isEqualTo("small-but-spilled");
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).as("spill files deleted").isEmpty();
        }
    }

    @Test
    void aSpilledBodyWithAModelAtTheEndNeedsNoFullParse(@TempDir Path spill) throws Exception {
        BodyLimits small = new BodyLimits(1024, BodyLimits.DEFAULT_MAX_BYTES, spill);
        String broken = "{\"messages\":[" + "{{{ not json ]]] ".repeat(64 * 1024) + "],\"model\":\"gpt-4o\"}";

        assertThat(modelOf("/v1/chat/completions", broken, ContentType.APPLICATION_JSON, small)).isEqualTo("gpt-4o");
    }

    @Test
    void theQuickScansOfASpilledBodySayWhenOnlyAFullParseCanTell() {
        byte[] body = ("{\"messages\":" + MESSAGES + ",\"model\":\"m\",\"tools\":" + MESSAGES + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = java.util.Arrays.copyOfRange(body, 0, TopLevelString.WINDOW);
        byte[] tail = java.util.Arrays.copyOfRange(body, body.length - TopLevelString.WINDOW, body.length);

        assertThat(TopLevelString.find(head, tail, false, "model")).isSameAs(TopLevelString.UNSETTLED);
        assertThat(TopLevelString.find(body, "model")).as("the full parse settles it").isEqualTo("m");
        assertThat(TopLevelString.find("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), new byte[0], true,
                "model")).isEqualTo("m");
        assertThat(TopLevelString.find("{\"other\":1}".getBytes(StandardCharsets.UTF_8), new byte[0], true, "model"))
                .isNull();
    }

    @Test
    void aModelNameNoProviderWouldHaveCountsAsNone() throws Exception {
        // The pool keeps state per model name, and names come from clients: they are bounded.
        assertThat(modelOf("/v1/chat/completions", "{\"model\":\"" + "m".repeat(129) + "\"}",
                ContentType.APPLICATION_JSON, BodyLimits.defaults())).isNull();
        assertThat(modelOf("/v1/chat/completions", "{\"model\":\"" + "m".repeat(128) + "\"}",
                ContentType.APPLICATION_JSON, BodyLimits.defaults())).hasSize(128);
        assertThat(modelOf("/v1/chat/completions", "{\"model\":\"gpt\\u0000x\"}",
                ContentType.APPLICATION_JSON, BodyLimits.defaults())).isNull();
    }
}
