package io.roomcast.edge.session;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.topic.KafkaUnavailableException;
import io.roomcast.topic.SideTopic;
import io.roomcast.topic.TopicInfo;
import io.roomcast.topic.TopicRegistry;
import org.apache.kafka.common.Uuid;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TopicRegistry} without Kafka: every namespace's topic has one fixed id and partition
 * count, or Kafka is "down" and every lookup fails as the edge's registry does when it times out.
 */
final class FixedTopics implements TopicRegistry {
    private final Namespaces namespaces;
    private final Uuid id = Uuid.randomUuid();
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile boolean down;

    FixedTopics(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    /** From now on, every lookup fails as if Kafka did not answer. */
    void down(boolean down) {
        this.down = down;
    }

    /** Topic lookups made so far. */
    int lookups() {
        return lookups.get();
    }

    @Override
    public Namespaces namespaces() {
        return namespaces;
    }

    @Override
    public TopicInfo info(Namespace ns) {
        lookups.incrementAndGet();
        if (down) {
            throw new KafkaUnavailableException("describe " + ns.topic() + " timed out", null);
        }
        return new TopicInfo(ns.topic(), id, ns.partitions());
    }

    @Override
    public TopicInfo ensure(SideTopic side) {
        return new TopicInfo(side.name(), id, 1);
    }

    @Override
    public void invalidate() {
    }

    @Override
    public boolean reachable(Duration timeout) {
        return !down;
    }

    @Override
    public void close() {
    }
}
