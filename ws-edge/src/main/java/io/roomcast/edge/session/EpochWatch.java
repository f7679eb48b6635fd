package io.roomcast.edge.session;

import io.roomcast.topic.TopicRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Ends subscriptions whose room has a new epoch under them: partitions were added to the topic (the
 * room may now live in another partition) or the topic was re-created without the live position
 * falling out of the log. Each subscription's client resumes from its last position and learns of
 * the {@code epoch} gap. Runs every topic cache period; the lookups may wait on Kafka, so the
 * check runs on the worker executor, never on the heartbeat thread.
 */
public final class EpochWatch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EpochWatch.class);
    private final Collection<Session> sessions;
    private final TopicRegistry topics;
    private final Executor worker;

    public EpochWatch(Collection<Session> sessions, TopicRegistry topics, Executor worker) {
        this.sessions = sessions;
        this.topics = topics;
        this.worker = worker;
    }

    @Override
    public void run() {
        try {
            worker.execute(this::check);
        } catch (RejectedExecutionException e) {
            log.atDebug().log("worker busy; epoch check skipped this round");
        }
    }

    private void check() {
        for (Session s : sessions) {
            s.endSubscriptionsOfOldEpochs(topics);
        }
    }
}
