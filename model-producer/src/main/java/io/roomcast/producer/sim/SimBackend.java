package io.roomcast.producer.sim;

import io.roomcast.producer.backend.BackendException;
import io.roomcast.producer.backend.ChatMessage;
import io.roomcast.producer.backend.ChunkChannel;
import io.roomcast.producer.backend.GenerationRequest;
import io.roomcast.producer.backend.ModelBackend;
import io.roomcast.producer.backend.StreamChunk;
import io.roomcast.producer.backend.TokenStream;
import io.roomcast.producer.backend.Usage;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A built-in model for demos and tests: streams a plausible answer word by word, each word
 * after a delay drawn from the configured range. Deterministic: the answer and the delays
 * depend only on the seed and the conversation. Honours {@code maxTokens} (finish reason
 * {@code length}). Each open stream uses one thread of {@code pacers} while it runs.
 * Thread-safe.
 */
public final class SimBackend implements ModelBackend {
    private final SimSettings settings;
    private final Executor pacers;

    public SimBackend(SimSettings settings, Executor pacers) {
        this.settings = settings;
        this.pacers = pacers;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public String defaultModel() {
        return settings.model();
    }

    @Override
    public TokenStream open(GenerationRequest request) {
        ChunkChannel channel = new ChunkChannel(8);
        CountDownLatch closed = new CountDownLatch(1);
        channel.onClose(closed::countDown);
        try {
            pacers.execute(() -> stream(request, channel, closed));
        } catch (RejectedExecutionException e) {
            channel.fail(new BackendException(BackendException.BACKEND_ERROR, "simulated model is shut down", false));
        }
        return channel;
    }

    private void stream(GenerationRequest request, ChunkChannel channel, CountDownLatch closed) {
        Random random = new Random(settings.seed() * 31 + conversationHash(request.messages()));
        List<String> words = SimAnswer.words(request.prompt().content(), random, settings.minWords(), settings.maxWords());
        Integer maxTokens = request.params().maxTokens();
        int limit = maxTokens == null ? words.size() : Math.min(words.size(), maxTokens);
        long minNanos = settings.minDelay().toNanos();
        long spread = settings.maxDelay().toNanos() - minNanos;
        try {
            for (int i = 0; i < limit; i++) {
                long delay = minNanos + (spread == 0 ? 0 : (long) (random.nextDouble() * spread));
                if (closed.await(delay, TimeUnit.NANOSECONDS)) {
                    return;
                }
                if (!channel.put(new StreamChunk.Token(i == 0 ? words.get(i) : " " + words.get(i)))) {
                    return;
                }
            }
            String reason = limit < words.size() ? "length" : "stop";
            channel.put(new StreamChunk.Finish(reason, new Usage(promptWords(request.messages()), limit)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.fail(new BackendException(BackendException.BACKEND_ERROR, "simulated model interrupted", true));
        }
    }

    private static long conversationHash(List<ChatMessage> messages) {
        long hash = 17;
        for (ChatMessage message : messages) {
            hash = hash * 31 + message.role().hashCode();
            hash = hash * 31 + message.content().hashCode();
        }
        return hash;
    }

    private static int promptWords(List<ChatMessage> messages) {
        int count = 0;
        for (ChatMessage message : messages) {
            String text = message.content().strip();
            count += text.isEmpty() ? 0 : text.split("\\s+").length;
        }
        return count;
    }
}
