package io.roomcast.edge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.edge.publish.PublishSettings;
import io.roomcast.edge.publish.PublisherScope;
import io.roomcast.edge.publish.Publishing;
import io.roomcast.edge.publish.RecentPublishes;
import io.roomcast.publish.PublishLookup;
import io.roomcast.publish.Publisher;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Publishing}'s threading contract on a real Kafka: a {@code retry} publish is looked up on
 * the lookup thread and waits for its settle time on the timer thread, yet its Kafka send is issued
 * from a worker thread; and it is still written at most once (issue 11).
 */
class EdgePublishThreadsIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults();
    private static final String WORKER = "it-publish-worker";

    private final ExecutorService worker = Executors.newFixedThreadPool(2, r -> new Thread(r, WORKER));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> sendThreads = new CopyOnWriteArrayList<>();
    private final List<Publishing> made = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        made.forEach(Publishing::close);
        worker.shutdownNow();
        assertThat(worker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** A {@link Publishing} of its own, as another edge's, writing through the shared edge's Kafka publisher and noting each send's thread. */
    private Publishing publishing() {
        Backbone backbone = SHARED.edge().backbone();
        EdgeConfig config = SHARED.edge().config();
        Publisher recording = new Publisher() {
            @Override
            public CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId, String publisher) {
                sendThreads.add(Thread.currentThread().getName());
                return backbone.publisher().publish(room, type, data, eventId, publisher);
            }

            @Override
            public Duration settleTime() {
                return backbone.publisher().settleTime();
            }

            @Override
            public void close() {
            }
        };
        Publishing publishing = new Publishing(recording, backbone.topics(),
                new PublishLookup(config.kafkaBootstrap(), config.consumerSettings(), new PublishLookup.Limits(10_000, 10_000_000, 10), meters),
                new RecentPublishes(100, Duration.ofMinutes(5), Clock.systemUTC(), meters),
                PublishSettings.defaults().withRetrySettle(Duration.ofMillis(200)), Duration.ofMinutes(5), worker, Clock.systemUTC(), meters);
        made.add(publishing);
        return publishing;
    }

    /** Calls {@link Publishing#publish} on the worker, as a session does. */
    private Publishing.Outcome publishOnWorker(Publishing publishing, Publishing.Request request) throws Exception {
        return CompletableFuture.supplyAsync(() -> publishing.publish(request), worker).thenCompose(f -> f).get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldSendARetryFromAWorkerAfterItsLookupsAndWriteItOnce() throws Exception {
        RoomName room = RoomName.of("chat:" + TestNames.unique("threads"));
        Publishing first = publishing();
        PublisherScope scope = first.scope(null, "threads-key-0123456789", "c1");
        Publishing.Request retry = new Publishing.Request(room, "message", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), "t-1", true, scope);

        Publishing.Outcome written = publishOnWorker(first, retry);
        assertThat(written.duplicate()).isFalse();
        assertThat(sendThreads).as("sent once, after two lookups and the settle time, from a worker").containsExactly(WORKER);

        // Resent as a retry to "another edge", which knows nothing of it: its lookup finds it, and nothing is sent.
        Publishing.Outcome again = publishOnWorker(publishing(), retry);
        assertThat(again).isEqualTo(new Publishing.Outcome(written.offset(), true));
        assertThat(sendThreads).hasSize(1);
    }
}
