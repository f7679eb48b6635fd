package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server-sent events client over a plain socket, reading the response as {@code curl -N} does:
 * HTTP/1.1, chunked transfer decoded by hand, events parsed line by line as the HTML standard says.
 * A reader thread queues every event and comment; tests take them with timeouts.
 */
final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** One dispatched event ({@code comment} set for a comment line instead). */
    record Event(String id, String event, String data, String comment, Long retry) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }

        boolean isComment() {
            return comment != null;
        }
    }

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final String errorBody;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;
    private final java.util.concurrent.Semaphore reading = new java.util.concurrent.Semaphore(1);

    private SseClient(Socket socket, int status, Map<String, String> headers, String errorBody, InputStream body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.errorBody = errorBody;
        this.reader = new Thread(() -> read(body), "sse-client");
        reader.setDaemon(true);
        if (body != null) {
            reader.start();
        }
    }

    static SseClient get(String url, Map<String, String> requestHeaders) {
        return request("GET", url, requestHeaders, null, 0);
    }

    /**
     * Sends a request; the response is read as a stream when its status is 200, else its body is kept.
     * {@code receiveBuffer} > 0 shrinks the socket's receive buffer (slow-consumer tests).
     */
    static SseClient request(String method, String url, Map<String, String> requestHeaders, byte[] body, int receiveBuffer) {
        try {
            URI uri = URI.create(url);
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort())
                    .append("\r\nAccept: text/event-stream\r\n");
            requestHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            InputStream content = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Chunked(in) : in;
            if (status == 200) {
                return new SseClient(socket, status, headers, null, content);
            }
            socket.setSoTimeout(10_000);
            String length = headers.get("content-length");
            byte[] bytes = length != null ? content.readNBytes(Integer.parseInt(length)) : content.readAllBytes();
            return new SseClient(socket, status, headers, new String(bytes, StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            throw new AssertionError("request to " + url + " failed", e);
        }
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode errorJson() {
        try {
            return JSON.readTree(errorBody);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + errorBody, e);
        }
    }

    String errorBody() {
        return errorBody;
    }

    /** The next event or comment. */
    Event next() {
        try {
            Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no SSE event within " + WAIT + (ended ? " (stream ended)" : ""));
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** The next event (not a comment) matching, skipping others. */
    Event next(Predicate<Event> wanted) {
        while (true) {
            Event e = next();
            if (!e.isComment() && wanted.test(e)) {
                return e;
            }
        }
    }

    /** The next event named {@code name} ({@code "message"} for unnamed), skipping others. */
    Event nextNamed(String name) {
        return next(e -> e.data() != null && name.equals(e.event() == null ? "message" : e.event()));
    }

    /** Every event (not comment) up to and including the first that matches. */
    List<Event> until(Predicate<Event> last) {
        List<Event> seen = new ArrayList<>();
        while (true) {
            Event e = next();
            if (e.isComment() || e.data() == null) {
                continue;
            }
            seen.add(e);
            if (last.test(e)) {
                return seen;
            }
        }
    }

    /** The next {@code n} room events (unnamed), skipping named events and comments. */
    List<Event> messages(int n) {
        List<Event> out = new ArrayList<>();
        while (out.size() < n) {
            out.add(nextNamed("message"));
        }
        return out;
    }

    /** Stops reading from the socket (after at most the line being read), as a stalled client would. */
    void pauseReading() {
        reading.acquireUninterruptibly();
    }

    void resumeReading() {
        reading.release();
    }

    /** Whether the server ended the response (EOF). */
    boolean ended() {
        return ended;
    }

    private void read(InputStream body) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            Long retry = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                reading.acquireUninterruptibly(); // held by pauseReading(): the socket's buffers fill up
                reading.release();
                if (line.isEmpty()) {
                    if (data != null || retry != null) {
                        events.add(new Event(id, event, data == null ? null : data.toString(), null, retry));
                    }
                    event = null;
                    data = null;
                    retry = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1), null));
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "retry" -> retry = Long.parseLong(value);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test or the server
        } finally {
            ended = true;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                out.write(b);
            }
        }
        if (b == -1 && out.size() == 0) {
            throw new IOException("connection closed");
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** HTTP/1.1 chunked transfer coding, decoded. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in); // the CRLF after the previous chunk
                }
                int semi = size.indexOf(';');
                left = Integer.parseInt(semi < 0 ? size.trim() : size.substring(0, semi).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            left -= n;
            return n;
        }
    }
}
