package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;

import dev.keyfailover.testing.FakeUpstream;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.pool.PoolStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way an upstream answer can end gives its pooled connection back ({@link ReleasingEntity}, applied by
 * {@link ProxyProtocolExec} in place of HttpClient's protocol element): read to the end it is kept for the next
 * request, abandoned it is dropped; never does it stay leased, never does the next request read this one's rest.
 */
class ReleasingEntityTest {

    private static final String KEY = "sk-releasing-entity-key-0001";
    private static final String BODY = "{\"id\":\"" + "x".repeat(20_000) + "\"}";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(KEY);
    private final FakeUpstream upstream = chain.upstream();

    private PoolStats pool() {
        return chain.client().connectionStats();
    }

    @Test
    void anAnswerWrittenToNowhereIsReadToItsEndBeforeItsConnectionServesTheNextRequest() throws Exception {
        upstream.on(KEY, FakeUpstream.ok(BODY));
        chain.client(chain.openAi());

        try (ClassicHttpResponse response = chain.execute(chain.post("/v1/chat/completions", "{}"))) {
            response.getEntity().writeTo(null);
        }
        assertThat(pool().getLeased()).isZero();
        assertThat(pool().getAvailable()).as("the connection is kept").isEqualTo(1);

        // The same connection again: it must start at the next answer's head, not inside the last one's body.
        assertThat(chain.send(chain.post("/v1/chat/completions", "{}"))).isEqualTo("200 " + BODY);
        assertThat(pool().getLeased()).isZero();
    }

    @Test
    void anAnswerReadToItsEndKeepsItsConnectionForTheNextRequest() throws Exception {
        upstream.on(KEY, FakeUpstream.ok(BODY));
        chain.client(chain.openAi());

        for (int i = 0; i < 3; i++) {
            try (ClassicHttpResponse response = chain.execute(chain.post("/v1/chat/completions", "{}"));
                 InputStream in = response.getEntity().getContent()) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(BODY);
            }
        }
        assertThat(pool().getLeased()).isZero();
        assertThat(pool().getAvailable()).isEqualTo(1);
    }

    @Test
    void anAnswerClosedBeforeItsEndDropsItsConnection() throws Exception {
        upstream.on(KEY, FakeUpstream.flood(8L * 1024 * 1024));
        chain.client(chain.openAi());

        try (ClassicHttpResponse response = chain.execute(chain.post("/v1/chat/completions", "{}"))) {
            InputStream in = response.getEntity().getContent();
            assertThat(in.readNBytes(100)).hasSize(100);
        }
        assertThat(pool().getLeased()).isZero();
        assertThat(pool().getAvailable()).as("dropped, not drained").isZero();
    }

    @Test
    void anAnswerCancelledBetweenItsHeadAndItsBodyLetsGoOfItsConnection() throws Exception {
        upstream.on(KEY, FakeUpstream.flood(8L * 1024 * 1024));
        chain.client(chain.openAi());
        HttpPost request = new HttpPost(upstream.baseUri().resolve("/v1/chat/completions"));
        request.setEntity(new StringEntity("{}", ContentType.APPLICATION_JSON));

        ClassicHttpResponse response = chain.execute(request);
        assertThat(response.getCode()).isEqualTo(200);
        assertThat(pool().getLeased()).as("held while the body is unread").isEqualTo(1);
        request.cancel();

        assertThatThrownBy(() -> EntityUtils.toByteArray(response.getEntity())).isInstanceOf(IOException.class);
        response.close();
        assertThat(pool().getLeased()).isZero();
    }
}
