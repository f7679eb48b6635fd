package io.roomcast.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates hostile client input, one case (a frame, or a few frames that belong together) at a
 * time, reproducibly from a seed: valid frames, mutated ones, random JSON, garbage, batches, deep
 * nesting, huge numbers, invalid UTF-8, fragmented messages, control-frame floods. Frames that
 * would make the edge close the connection (too large, invalid UTF-8, protocol violations) are
 * rarer, so that most input reaches the parser. Not thread-safe: one per sending thread.
 */
public final class FrameMutator {
    /** What a case tries; the tally counts sent frames per kind. */
    public enum Kind {
        VALID, MUTATED, RANDOM_JSON, GARBAGE, BATCH, DEEP_NESTING, HUGE_NUMBERS, INVALID_UTF8, FRAGMENTED, CONTROL_FLOOD,
        BINARY, OVERSIZED
    }

    /** One case: its kind and its frames, sent back to back. */
    public record Case(Kind kind, List<FuzzFrame> frames) {
    }

    private static final String PUNCTUATION = "{}[]\",:\\0-e.";
    private static final String[] OPS = {"subscribe", "unsubscribe", "publish", "ping", "auth", "presence", "", "SUBSCRIBE", "\u0000"};
    private static final String[] ROOMS = {"chat:lobby", "fuzz", "logs:api", "", ":", "a".repeat(201), "chat:\u00e9", "../etc",
            "chat:lobby\u0000", "x:y:z", "chat:*"};
    private final Random random;
    private final String watchedRoom;
    private final int maxFrameBytes;

    /**
     * @param watchedRoom   a room a well-behaved client watches: the fuzzer publishes junk into it too
     * @param maxFrameBytes the edge's frame limit, to aim just under and over it
     */
    public FrameMutator(long seed, String watchedRoom, int maxFrameBytes) {
        this.random = new Random(seed);
        this.watchedRoom = watchedRoom;
        this.maxFrameBytes = maxFrameBytes;
    }

    public Case next() {
        int roll = random.nextInt(1000);
        if (roll < 150) {
            return single(Kind.VALID, validOp());
        } else if (roll < 350) {
            return single(Kind.MUTATED, mutate(validOp().getBytes(StandardCharsets.UTF_8)));
        } else if (roll < 500) {
            return single(Kind.RANDOM_JSON, randomJson(4).getBytes(StandardCharsets.UTF_8));
        } else if (roll < 600) {
            return single(Kind.GARBAGE, garbage());
        } else if (roll < 700) {
            return single(Kind.BATCH, batch());
        } else if (roll < 760) {
            return single(Kind.DEEP_NESTING, deep());
        } else if (roll < 840) {
            return single(Kind.HUGE_NUMBERS, hugeNumbers());
        } else if (roll < 870) {
            return single(Kind.INVALID_UTF8, invalidUtf8());
        } else if (roll < 970) {
            return new Case(Kind.FRAGMENTED, fragmented());
        } else if (roll < 975) { // rare as cases: each one is a burst of up to 100 frames
            return new Case(Kind.CONTROL_FLOOD, controlFlood());
        } else if (roll < 995) {
            return new Case(Kind.BINARY, List.of(new FuzzFrame(FuzzFrame.BINARY, true, garbage())));
        }
        return single(Kind.OVERSIZED, oversized());
    }

    private Case single(Kind kind, String text) {
        return single(kind, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Case single(Kind kind, byte[] payload) {
        return new Case(kind, List.of(FuzzFrame.text(payload)));
    }

    private String validOp() {
        String room = random.nextInt(4) == 0 ? watchedRoom : pick(ROOMS);
        long id = random.nextInt(1000);
        return switch (random.nextInt(6)) {
            case 0 -> "{\"op\":\"subscribe\",\"id\":" + id + ",\"room\":" + quote(room) + from() + "}";
            case 1 -> "{\"op\":\"unsubscribe\",\"id\":" + id + ",\"room\":" + quote(room) + "}";
            case 2 -> "{\"op\":\"publish\",\"id\":" + id + ",\"room\":" + quote(room) + ",\"type\":" + quote(pick(new String[] {
                    "message", "token", "generation.done", "", "x".repeat(300), "prompt"})) + ",\"data\":" + randomJson(2)
                    + (random.nextBoolean() ? ",\"eventId\":" + quote("e" + random.nextInt(50)) + ",\"retry\":" + random.nextBoolean() : "") + "}";
            case 3 -> "{\"op\":\"ping\",\"id\":" + id + "}";
            case 4 -> "{\"op\":\"auth\",\"id\":" + id + ",\"token\":" + quote(random.nextBoolean() ? "eyJ.eyJ.sig" : randomString(50)) + "}";
            default -> "{\"op\":" + quote(pick(OPS)) + ",\"id\":" + id + "}";
        };
    }

    private String from() {
        return switch (random.nextInt(8)) {
            case 0 -> ",\"from\":\"earliest\"";
            case 1 -> ",\"from\":{\"after\":" + randomLong() + ",\"epoch\":" + quote(randomString(8)) + "}";
            case 2 -> ",\"from\":{\"last\":" + randomLong() + "}";
            case 3 -> ",\"from\":{\"time\":" + randomLong() + "}";
            case 4 -> ",\"from\":" + randomJson(2);
            default -> "";
        };
    }

    private long randomLong() {
        return switch (random.nextInt(6)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> -1;
            case 3 -> 0;
            default -> random.nextInt(100_000);
        };
    }

    private byte[] mutate(byte[] in) {
        byte[] out = in.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && out.length > 0; i++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(128); // stays ASCII: the parser, not the UTF-8 check
                case 1 -> out[at] = (byte) PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()));
                case 2 -> out = java.util.Arrays.copyOf(out, at); // truncated
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) "{[\"".charAt(random.nextInt(3));
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    private String randomJson(int depth) {
        int kind = depth <= 0 ? random.nextInt(5) : random.nextInt(7);
        return switch (kind) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> quote(randomString(random.nextInt(20)));
            case 2 -> random.nextBoolean() ? "true" : "null";
            case 3 -> random.nextDouble() + "e" + (random.nextInt(700) - 350);
            case 4 -> "\"\\u" + String.format("%04x", random.nextInt(0x10000)) + "\"";
            case 5 -> {
                StringBuilder b = new StringBuilder("[");
                for (int i = random.nextInt(5); i > 0; i--) {
                    b.append(randomJson(depth - 1)).append(i > 1 ? "," : "");
                }
                yield b.append(']').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("{");
                for (int i = random.nextInt(5); i > 0; i--) {
                    String key = random.nextInt(3) == 0 ? pick(new String[] {"op", "id", "room", "from", "data", "type", "eventId"})
                            : randomString(5);
                    b.append(quote(key)).append(':').append(randomJson(depth - 1)).append(i > 1 ? "," : "");
                }
                yield b.append('}').toString();
            }
        };
    }

    private byte[] garbage() {
        byte[] b = new byte[random.nextInt(300)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0x20 + random.nextInt(0x5f)); // printable ASCII: valid UTF-8, invalid almost everything else
        }
        return b;
    }

    private String batch() {
        int n = random.nextInt(10) == 0 ? 1000 + random.nextInt(5000) : random.nextInt(20);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n && b.length() < maxFrameBytes - 200; i++) {
            b.append(i > 0 ? "," : "").append(random.nextInt(10) == 0 ? randomJson(1) : random.nextInt(20) == 0 ? "[]" : validOp());
        }
        return b.append(']').toString();
    }

    private String deep() {
        int depth = pick(new int[] {63, 64, 65, 100, 1000, 10_000, 30_000});
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(depth);
        if (nested.length() > maxFrameBytes - 200) {
            nested = open.repeat(depth); // unbalanced and truncated: still the parser's problem
            nested = nested.substring(0, Math.min(nested.length(), maxFrameBytes - 200));
        }
        return random.nextBoolean() ? nested
                : "{\"op\":\"publish\",\"id\":1,\"room\":" + quote(watchedRoom) + ",\"data\":" + nested + "}";
    }

    private String hugeNumbers() {
        String digits = "9".repeat(pick(new int[] {19, 20, 100, 1000, 10_000}));
        return switch (random.nextInt(5)) {
            case 0 -> "{\"op\":\"ping\",\"id\":" + digits + "}";
            case 1 -> "{\"op\":\"subscribe\",\"id\":1,\"room\":" + quote(watchedRoom) + ",\"from\":{\"after\":" + digits + "}}";
            case 2 -> "{\"op\":\"subscribe\",\"id\":1,\"room\":" + quote(watchedRoom) + ",\"from\":{\"last\":" + digits + "}}";
            case 3 -> "{\"op\":\"publish\",\"id\":1,\"room\":" + quote(watchedRoom) + ",\"data\":1e" + digits + "}";
            default -> "{\"op\":\"ping\",\"id\":-" + digits + "." + digits + "e-" + digits + "}";
        };
    }

    private byte[] invalidUtf8() {
        byte[] valid = validOp().getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {{(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] b = pick(bad);
        int at = random.nextInt(valid.length + 1);
        byte[] out = new byte[valid.length + b.length];
        System.arraycopy(valid, 0, out, 0, at);
        System.arraycopy(b, 0, out, at, b.length);
        System.arraycopy(valid, at, out, at + b.length, valid.length - at);
        return out;
    }

    private List<FuzzFrame> fragmented() {
        byte[] whole = (random.nextBoolean() ? validOp() : batch()).getBytes(StandardCharsets.UTF_8);
        List<FuzzFrame> frames = new ArrayList<>();
        int pieces = 2 + random.nextInt(6);
        int at = 0;
        for (int i = 0; i < pieces; i++) {
            int end = i == pieces - 1 ? whole.length : Math.min(whole.length, at + random.nextInt(whole.length / pieces + 2));
            byte[] part = java.util.Arrays.copyOfRange(whole, at, end); // may split a UTF-8 sequence: legal
            frames.add(new FuzzFrame(i == 0 ? FuzzFrame.TEXT : FuzzFrame.CONTINUATION, i == pieces - 1, part));
            at = end;
            if (random.nextInt(4) == 0 && i < pieces - 1) {
                frames.add(new FuzzFrame(FuzzFrame.PING, true, new byte[] {1, 2})); // control frames may interleave
            }
        }
        switch (random.nextInt(10)) {
            case 0 -> frames.add(0, new FuzzFrame(FuzzFrame.CONTINUATION, true, new byte[] {'x'})); // continuation with nothing to continue
            case 1 -> frames.remove(frames.size() - 1); // never finished: the next text frame violates the protocol
            default -> {
            }
        }
        return frames;
    }

    private List<FuzzFrame> controlFlood() {
        List<FuzzFrame> frames = new ArrayList<>();
        int n = 10 + random.nextInt(90);
        for (int i = 0; i < n; i++) {
            byte[] payload = new byte[random.nextInt(126)];
            random.nextBytes(payload);
            frames.add(new FuzzFrame(random.nextInt(5) == 0 ? FuzzFrame.PONG : FuzzFrame.PING, true, payload));
        }
        switch (random.nextInt(20)) {
            case 0 -> frames.add(new FuzzFrame(FuzzFrame.PING, true, new byte[126 + random.nextInt(1000)])); // control frame too long
            case 1 -> frames.add(new FuzzFrame(FuzzFrame.PING, false, new byte[] {1})); // fragmented control frame
            case 2 -> frames.add(new FuzzFrame(3 + random.nextInt(5), true, new byte[] {1})); // reserved opcode
            default -> {
            }
        }
        return frames;
    }

    private byte[] oversized() {
        int size = random.nextBoolean() ? maxFrameBytes + 1 + random.nextInt(1024) : maxFrameBytes - random.nextInt(64);
        String pad = "x".repeat(Math.max(0, size - 80));
        return ("{\"op\":\"publish\",\"id\":1,\"room\":" + quote(watchedRoom) + ",\"data\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private String randomString(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = random.nextInt(20) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f);
            if (c >= 0xD800 && c < 0xE000) {
                c = '?';
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private int pick(int[] options) {
        return options[random.nextInt(options.length)];
    }
}
