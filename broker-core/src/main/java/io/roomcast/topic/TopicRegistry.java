package io.roomcast.topic;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;

/**
 * Maps rooms to their Kafka partitions and epochs: which topic and partition hold a room, and which
 * history of that topic (its epoch) is current. The edge's is {@link KafkaTopicRegistry}; tests of
 * the session and subscription logic give a fixed map.
 *
 * <p>Thread-safety: safe for concurrent use. Lookups may block on Kafka, so never call one on an
 * IO thread: the edge calls them on its worker, the epoch watch and at start-up.
 */
public interface TopicRegistry extends AutoCloseable {
    /** The deployment's namespaces. Any thread; never blocks. */
    Namespaces namespaces();

    /**
     * The description of the namespace's topic, created when missing.
     *
     * @throws KafkaUnavailableException when Kafka does not answer in time
     */
    TopicInfo info(Namespace ns);

    /**
     * The description of a side topic (presence, ephemeral, snapshots), created when missing; an
     * existing one is taken as it is (its partition count may differ from the spec's) after a
     * warning naming any difference. Callers look it up once, when they start.
     */
    TopicInfo ensure(SideTopic side);

    /** Forgets cached descriptions, so the next lookup asks Kafka. Any thread; never blocks. */
    void invalidate();

    /** Whether Kafka answers a metadata request within {@code timeout}. */
    boolean reachable(Duration timeout);

    /**
     * The partition and epoch of {@code room}; creates its namespace's topic when missing.
     *
     * @throws io.roomcast.room.UnknownNamespaceException when no namespace takes the room
     * @throws KafkaUnavailableException                 when Kafka does not answer in time
     */
    default RoomLocation locate(RoomName room) {
        Namespace ns = namespaces().of(room);
        TopicInfo info = info(ns);
        TopicPartition tp = new TopicPartition(ns.topic(), RoomPartitioner.partition(room, info.partitions()));
        return new RoomLocation(room, ns, tp, info.epoch());
    }

    /** Creates every configured namespace's topic that does not exist yet. */
    default void ensureAll() {
        namespaces().all().forEach(this::info);
    }

    /** Releases the clients it holds. */
    @Override
    void close();
}
