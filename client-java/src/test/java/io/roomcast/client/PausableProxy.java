package io.roomcast.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of an edge that can stop passing the edge's bytes on (the client hears nothing, as behind a
 * stalled network) and cut every connection through it. For tests: one thread per direction and connection.
 */
final class PausableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private boolean paused;

    PausableProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on the edge's bytes wait in the proxy (and then in the kernel's buffers) instead of reaching the client. */
    void pause() {
        synchronized (lock) {
            paused = true;
        }
    }

    /** Closes every connection through the proxy, dropping what waited, and passes bytes on again for new ones. */
    void cutAndResume() {
        synchronized (lock) {
            paused = false;
            sockets.forEach(PausableProxy::closeQuietly);
            sockets.clear();
            lock.notifyAll();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket edge = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(edge);
                pump(client, edge, false);
                pump(edge, client, true);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromEdge) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (fromEdge && !awaitNotPaused(from)) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // cut, or the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Waits while paused; false when the connection was cut meanwhile. */
    private boolean awaitNotPaused(Socket from) throws InterruptedException {
        synchronized (lock) {
            while (paused && !from.isClosed()) {
                lock.wait();
            }
            return !from.isClosed();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAndResume();
    }
}
