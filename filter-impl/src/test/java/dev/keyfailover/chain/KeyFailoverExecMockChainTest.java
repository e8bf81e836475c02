package dev.keyfailover.chain;

import dev.keyfailover.settings.BodyLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.pool.KeyWalk;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.testing.MutableClock;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** {@link KeyFailoverExec} against a mocked rest of the chain: transport failures and attempt scopes. */
class KeyFailoverExecMockChainTest {

    private static final String K1 = "sk-mock-first-key-00000000001";
    private static final String K2 = "sk-mock-second-key-0000000002";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ExecChain chain = mock(ExecChain.class);
    private final ExecRuntime runtime = mock(ExecRuntime.class);
    private Provider provider;
    private KeyPool pool;
    private ExecChainHandler exec;

    @BeforeEach
    void setUp() {
        provider = new OpenAiProviderFactory().create(
                new ProviderSettings("openai", URI.create("http://upstream.test/"), Map.of()));
        pool = new KeyPool("openai", List.of(K1, K2), clock, PoolSettings.defaults(), Sleeper.THREAD,
                LocalKeyStateStore.INSTANCE);
        exec = FailoverSettings.defaults().failoverHandlers(provider, pool, clock);
    }

    private ExecChain.Scope scope(ClassicHttpRequest request) {
        return new ExecChain.Scope("ex-1", new HttpRoute(new HttpHost("http", "upstream.test", 80)), request, runtime,
                HttpClientContext.create());
    }

    private static ClassicHttpRequest request() {
        return ClassicRequestBuilder.post("http://upstream.test/v1/chat/completions")
                .setEntity(new StringEntity("{\"a\":1}", ContentType.APPLICATION_JSON))
                .build();
    }

    private static ClassicHttpResponse response(int status) {
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(status);
        response.setEntity(new StringEntity("{}", ContentType.APPLICATION_JSON));
        return response;
    }

    @Test
    void transportFailureIsPropagatedWithoutMarkingOrFailover() throws Exception {
        when(chain.proceed(any(), any())).thenThrow(new SocketException("Connection reset"));
        ClassicHttpRequest request = request();

        assertThatThrownBy(() -> exec.execute(request, scope(request), chain))
                .isInstanceOf(SocketException.class)
                .hasMessage("Connection reset");

        verify(chain, times(1)).proceed(any(), any());
        assertThat(pool.snapshot()).extracting(KeySnapshot::state).containsOnly(KeyState.VALID);
        assertThat(pool.snapshot().get(0).lastStatus()).isEqualTo(-1);
        assertThat(pool.snapshot().get(1).attempts()).isZero();
    }

    @Test
    void transportFailureOfAProbeGivesTheProbeBack() throws Exception {
        when(chain.proceed(any(), any())).thenReturn(response(401), response(200));
        ClassicHttpRequest first = request();
        exec.execute(first, scope(first), chain);
        assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.DISABLED);

        clock.advance(PoolSettings.DEFAULT_AUTH_RECHECK);
        when(chain.proceed(any(), any())).thenThrow(new IOException("broken pipe"));
        ClassicHttpRequest probeRequest = request();
        assertThatThrownBy(() -> exec.execute(probeRequest, scope(probeRequest), chain))
                .isInstanceOf(IOException.class);

        // Still disabled, not pushed back: the re-check stays due and the next request may probe.
        KeySnapshot probed = pool.snapshot().get(0);
        assertThat(probed.state()).isEqualTo(KeyState.DISABLED);
        assertThat(probed.cooldownRemaining()).isZero();
        assertThat(pool.snapshot().get(1).state()).isEqualTo(KeyState.VALID);
        try (KeyWalk walk = pool.walk(null)) {
            Key next = walk.next();
            assertThat(next.index()).isZero();
            assertThat(walk.isProbe(next)).isTrue();
        }
    }

    @Test
    void everyAttemptGetsAKeyedCopyAsItsScopeOriginal() throws Exception {
        when(chain.proceed(any(), any())).thenReturn(response(429), response(200));
        ClassicHttpRequest request = request();
        request.addHeader("Authorization", "Bearer client-credential-should-not-leak");
        FailoverSettings noByok = new FailoverSettings(false, BodyLimits.defaults());
        exec = noByok.failoverHandlers(provider, pool, clock);

        ClassicHttpResponse response = exec.execute(request, scope(request), chain);

        assertThat(response.getCode()).isEqualTo(200);
        ArgumentCaptor<ClassicHttpRequest> sent = ArgumentCaptor.forClass(ClassicHttpRequest.class);
        ArgumentCaptor<ExecChain.Scope> scopes = ArgumentCaptor.forClass(ExecChain.Scope.class);
        verify(chain, times(2)).proceed(sent.capture(), scopes.capture());
        for (int i = 0; i < 2; i++) {
            String expected = "Bearer " + (i == 0 ? K1 : K2);
            assertThat(sent.getAllValues().get(i).getHeaders("Authorization")).extracting(h -> h.getValue())
                    .containsExactly(expected);
            assertThat(scopes.getAllValues().get(i).originalRequest).isSameAs(sent.getAllValues().get(i));
            assertThat(sent.getAllValues().get(i).getEntity().isRepeatable()).isTrue();
        }
        assertThat(request.getFirstHeader("Authorization").getValue())
                .isEqualTo("Bearer client-credential-should-not-leak");
    }

    @Test
    void aKeyWhoseCooldownEndedDuringTheWalkGivesRetryAfterZero() throws Exception {
        // First request: the first key cools for 10 s, the second serves.
        when(chain.proceed(any(), any())).thenReturn(response(429), response(200));
        ClassicHttpRequest first = request();
        exec.execute(first, scope(first), chain);
        assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.COOLING);

        // Second request skips the cooling key; while the second key answers 429, the cooldown ends.
        when(chain.proceed(any(), any())).thenAnswer(invocation -> {
            clock.advance(PoolSettings.defaults().maxCooldown());
            BasicClassicHttpResponse limited = new BasicClassicHttpResponse(429);
            limited.addHeader("Retry-After", "30");
            return limited;
        });
        ClassicHttpRequest second = request();
        ClassicHttpResponse response = exec.execute(second, scope(second), chain);

        assertThat(response.getCode()).isEqualTo(429);
        assertThat(response.containsHeader("Retry-After")).isFalse();
        assertThat(pool.snapshot().get(0).state()).isEqualTo(KeyState.VALID);
        assertThat(pool.snapshot().get(1).state()).isEqualTo(KeyState.COOLING);
    }

    @Test
    void withMaxWaitForKeyTheRequestWaitsForTheSoonestCooldownAndWalksAgain() throws Exception {
        List<java.time.Duration> slept = new java.util.ArrayList<>();
        pool = new KeyPool("openai", List.of(K1, K2), clock,
                PoolSettings.defaults().withMaxWaitForKey(java.time.Duration.ofSeconds(30)),
                wait -> {
                    slept.add(wait);
                    clock.advance(wait);
                }, LocalKeyStateStore.INSTANCE);
        exec = FailoverSettings.defaults().failoverHandlers(provider, pool, clock);
        BasicClassicHttpResponse first = new BasicClassicHttpResponse(429);
        first.addHeader("Retry-After", "5");
        BasicClassicHttpResponse second = new BasicClassicHttpResponse(429);
        second.addHeader("Retry-After", "20");
        when(chain.proceed(any(), any())).thenReturn(first, second, response(200));
        ClassicHttpRequest request = request();

        ClassicHttpResponse response = exec.execute(request, scope(request), chain);

        assertThat(response.getCode()).isEqualTo(200);
        assertThat(slept).containsExactly(java.time.Duration.ofSeconds(5));
        ArgumentCaptor<ClassicHttpRequest> sent = ArgumentCaptor.forClass(ClassicHttpRequest.class);
        verify(chain, times(3)).proceed(sent.capture(), any());
        assertThat(sent.getAllValues()).extracting(r -> r.getFirstHeader("Authorization").getValue())
                .containsExactly("Bearer " + K1, "Bearer " + K2, "Bearer " + K1);
    }

    @Test
    void maxWaitForKeyDoesNotWaitForACooldownBeyondIt() throws Exception {
        List<java.time.Duration> slept = new java.util.ArrayList<>();
        pool = new KeyPool("openai", List.of(K1, K2), clock,
                PoolSettings.defaults().withMaxWaitForKey(java.time.Duration.ofSeconds(3)), slept::add,
                        LocalKeyStateStore.INSTANCE);
        exec = FailoverSettings.defaults().failoverHandlers(provider, pool, clock);
        BasicClassicHttpResponse limited = new BasicClassicHttpResponse(429);
        limited.addHeader("Retry-After", "5");
        when(chain.proceed(any(), any())).thenReturn(limited);
        ClassicHttpRequest request = request();

        ClassicHttpResponse response = exec.execute(request, scope(request), chain);

        assertThat(response.getCode()).isEqualTo(429);
        assertThat(response.getFirstHeader("Retry-After").getValue()).isEqualTo("5");
        assertThat(slept).isEmpty();
        verify(chain, times(2)).proceed(any(), any());
    }
}
