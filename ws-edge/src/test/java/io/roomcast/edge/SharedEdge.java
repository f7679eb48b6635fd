package io.roomcast.edge;

import io.roomcast.room.Namespaces;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The edge (or edges) that all tests of one class share, on the shared test broker with namespaces
 * of their own (see {@link EdgeFixture#isolatedNamespaces()}), and a plain Kafka producer for those
 * namespaces. Register it as a static {@code @RegisterExtension} field: the edges start before the
 * class's first test and close, with the producer, after its last.
 *
 * <p>Started and stopped on JUnit's thread; the accessors may be called from any thread a test
 * starts (the producer is created on first use, once).
 */
final class SharedEdge implements BeforeAllCallback, AfterAllCallback {
    private final int count;
    private final UnaryOperator<EdgeConfig.Builder> customize;
    private final List<EdgeServer> edges = new ArrayList<>();
    private Namespaces namespaces;
    private KafkaRoom kafka;

    private SharedEdge(int count, UnaryOperator<EdgeConfig.Builder> customize) {
        this.count = count;
        this.customize = customize;
    }

    /** One edge with the default test configuration. */
    static SharedEdge withDefaults() {
        return with(b -> b);
    }

    /** One edge whose configuration {@code customize} changes from the default test configuration. */
    static SharedEdge with(UnaryOperator<EdgeConfig.Builder> customize) {
        return new SharedEdge(1, customize);
    }

    /** Two edges with the default test configuration on the same namespaces, for clients that move between edges. */
    static SharedEdge twoEdges() {
        return new SharedEdge(2, b -> b);
    }

    /** Two edges on the same namespaces whose configuration {@code customize} changes. */
    static SharedEdge twoEdges(UnaryOperator<EdgeConfig.Builder> customize) {
        return new SharedEdge(2, customize);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        namespaces = EdgeFixture.isolatedNamespaces();
        for (int i = 0; i < count; i++) {
            edges.add(EdgeFixture.start(namespaces, customize));
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
        }
        edges.forEach(EdgeServer::close);
        edges.clear();
    }

    Namespaces namespaces() {
        return namespaces;
    }

    EdgeServer edge() {
        return edges.get(0);
    }

    /** The second edge of {@link #twoEdges()}. */
    EdgeServer otherEdge() {
        return edges.get(1);
    }

    /** A producer writing to this edge's namespaces. */
    synchronized KafkaRoom kafka() {
        if (kafka == null) {
            kafka = new KafkaRoom(namespaces);
        }
        return kafka;
    }
}
