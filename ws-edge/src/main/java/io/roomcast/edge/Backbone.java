package io.roomcast.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.compact.AnswerBudget;
import io.roomcast.edge.auth.EdgeSecurity;
import io.roomcast.edge.ephemeral.Ephemeral;
import io.roomcast.edge.presence.Presence;
import io.roomcast.edge.snapshot.Snapshots;
import io.roomcast.edge.subscription.SharedReads;
import io.roomcast.edge.publish.Publishing;
import io.roomcast.history.HistoryReader;
import io.roomcast.live.LiveTail;
import io.roomcast.publish.Publisher;
import io.roomcast.topic.TopicRegistry;

import java.util.concurrent.ExecutorService;

/**
 * The Kafka-side services one edge shares among its sessions ({@code reads} shares history reads among
 * subscriptions catching up together; {@code answerBudget} bounds the answers their compacted
 * catch-ups hold back, edge-wide), and the executor that runs
 * everything that may wait (topic lookups, catch-ups, publishes) off Undertow's IO threads.
 */
public record Backbone(TopicRegistry topics, LiveTail live, HistoryReader history, SharedReads reads, Publisher publisher, Publishing publishing,
                       ExecutorService worker, EdgeSecurity security, EdgeConfig config, MeterRegistry meters,
                       Presence presence, Ephemeral ephemeral, Snapshots snapshots, AnswerBudget answerBudget) {

    /**
     * Runs {@code work} on the worker, or on a thread of its own when the worker's queue is full.
     * For close callbacks that run on an IO thread while Undertow holds a connection's lock: ending a
     * subscription takes its lock, which live dispatch may hold while it writes to that connection,
     * so doing it there could deadlock. Any thread.
     */
    public void offIoThread(Runnable work) {
        try {
            worker.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Thread t = new Thread(work, "roomcast-close");
            t.setDaemon(true);
            t.start();
        }
    }
}
