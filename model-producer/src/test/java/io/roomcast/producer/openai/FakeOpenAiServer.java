package io.roomcast.producer.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real local HTTP server speaking the OpenAI streaming chat completions format, with scripted
 * replies: good streams, malformed chunks, stalls, disconnects mid-stream and error statuses.
 * Replies are served in the order enqueued; when none is queued the default reply is used.
 */
public final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Reply defaultReply = Reply.tokens("Hello", " there", "!");

    private FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    public static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public FakeOpenAiServer enqueue(Reply... next) {
        replies.addAll(Arrays.asList(next));
        return this;
    }

    public void defaultReply(Reply reply) {
        defaultReply = reply;
    }

    /** The JSON bodies of the requests received, in order. */
    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        Reply reply = replies.poll();
        (reply == null ? defaultReply : reply).serve(exchange, closed);
    }

    /** How the server answers one request. */
    public static final class Reply {
        private final int status;
        private final String errorBody;
        private final String retryAfter;
        private final List<String> events;
        private final Duration delay;
        private final boolean stall;
        private final boolean disconnect;
        private final String heldEvent;
        private final CountDownLatch gate;

        private Reply(int status, String errorBody, String retryAfter, List<String> events, Duration delay, boolean stall, boolean disconnect) {
            this(status, errorBody, retryAfter, events, delay, stall, disconnect, null, null);
        }

        private Reply(int status, String errorBody, String retryAfter, List<String> events, Duration delay, boolean stall, boolean disconnect,
                      String heldEvent, CountDownLatch gate) {
            this.status = status;
            this.errorBody = errorBody;
            this.retryAfter = retryAfter;
            this.events = events;
            this.delay = delay;
            this.stall = stall;
            this.disconnect = disconnect;
            this.heldEvent = heldEvent;
            this.gate = gate;
        }

        /** A complete answer: a role chunk, one chunk per token, the finish reason, usage, {@code [DONE]}. */
        public static Reply tokens(String... tokens) {
            List<String> events = answer(tokens);
            events.add(events.size() - 1, data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":" + tokens.length + "}}"));
            return new Reply(200, null, null, events, Duration.ZERO, false, false);
        }

        /** A complete answer from a server that reports no usage (no {@code stream_options} support). */
        public static Reply tokensWithoutUsage(String... tokens) {
            return new Reply(200, null, null, answer(tokens), Duration.ZERO, false, false);
        }

        private static List<String> answer(String... tokens) {
            List<String> events = new ArrayList<>();
            events.add(": keep-alive comment");
            events.add(chunk("{\"role\":\"assistant\"}", null));
            for (String token : tokens) {
                events.add(token(token));
            }
            events.add(chunk("{}", "stop"));
            events.add(data("[DONE]"));
            return events;
        }

        /** Raw SSE events, sent as given (each already ends with its blank line). */
        public static Reply raw(String... events) {
            return new Reply(200, null, null, List.of(events), Duration.ZERO, false, false);
        }

        /** Sends these tokens, then nothing more until the server closes. */
        public static Reply stallAfter(String... tokens) {
            return new Reply(200, null, null, tokenEvents(tokens), Duration.ZERO, true, false);
        }

        /** Sends these tokens, then drops the connection without ending the response. */
        public static Reply disconnectAfter(String... tokens) {
            return new Reply(200, null, null, tokenEvents(tokens), Duration.ZERO, false, true);
        }

        public static Reply status(int status, String body, String retryAfter) {
            return new Reply(status, body, retryAfter, List.of(), Duration.ZERO, false, false);
        }

        /** This reply with a pause before every event. */
        public Reply paced(Duration between) {
            return new Reply(status, errorBody, retryAfter, events, between, stall, disconnect, heldEvent, gate);
        }

        /** This reply holding {@code event} (and what follows it) back until {@code gate} opens. */
        public Reply heldBefore(String event, CountDownLatch gate) {
            return new Reply(status, errorBody, retryAfter, events, delay, stall, disconnect, event, gate);
        }

        public static String token(String text) {
            ObjectNode delta = JSON.createObjectNode().put("content", text);
            return chunk(delta.toString(), null);
        }

        public static String data(String payload) {
            return "data: " + payload + "\n\n";
        }

        private static String chunk(String delta, String finishReason) {
            return data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                    + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}");
        }

        private static List<String> tokenEvents(String... tokens) {
            List<String> events = new ArrayList<>();
            for (String token : tokens) {
                events.add(token(token));
            }
            return events;
        }

        void serve(HttpExchange exchange, CountDownLatch closed) throws IOException {
            if (status != 200) {
                if (retryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                byte[] body = (errorBody == null ? "" : errorBody).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                for (String event : events) {
                    if (!delay.isZero() && closed.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    if (event.equals(heldEvent)) {
                        gate.await();
                    }
                    out.write((event.endsWith("\n") ? event : event + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                if (stall) {
                    closed.await(60, TimeUnit.SECONDS);
                }
                if (disconnect && !delay.isZero()) {
                    closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                return; // the client went away
            }
            if (disconnect) {
                // an exception out of the handler makes the JDK server drop the connection mid-response
                throw new IllegalStateException("simulated disconnect");
            }
            out.close();
        }
    }
}
