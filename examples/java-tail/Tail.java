import io.roomcast.client.ClientOptions;
import io.roomcast.client.From;
import io.roomcast.client.Gap;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.RoomcastClient;
import io.roomcast.client.SubscriptionListener;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tail -f} for a Roomcast room: prints the room's last N events, then every new one, one line each
 * ({@code offset type data}); gaps and connection changes go to stderr. Run it as a single-file program with the
 * client on the class path:
 *
 * <pre>java -cp "client-java.jar:jackson-*.jar:slf4j-api.jar" Tail.java ws://localhost:8080/ws chat:lobby [N] [COUNT]</pre>
 *
 * With COUNT it exits after printing that many events (for scripts and tests).
 */
public final class Tail {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Tail EDGE_URL ROOM [LAST_N] [COUNT]");
            System.exit(2);
        }
        int last = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long count = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE;
        CountDownLatch done = new CountDownLatch(1);
        long[] printed = {0};
        ClientOptions options = ClientOptions.builder()
                .stateListener(change -> System.err.println("# " + change.current().name().toLowerCase()))
                .build();
        try (RoomcastClient client = RoomcastClient.connect(URI.create(args[0]), options)) {
            client.subscribe(args[1], From.last(last), new SubscriptionListener() {
                @Override
                public void onEvent(RoomEvent e) {
                    System.out.println(e.offset() + " " + e.type() + " " + e.data());
                    if (++printed[0] >= count) {
                        done.countDown();
                    }
                }

                @Override
                public void onGap(Gap gap) {
                    System.err.println("# gap " + gap.reason() + (gap.count() > 0 ? " (" + gap.count() + " events)" : "")
                            + ", continuing at " + gap.resumeAt());
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(done::countDown));
            done.await();
        }
    }
}
