package dev.hearth.proxy.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runtime proxy's HTTP/1.1 server, built so that a warm container's {@code /run} is read, computed and
 * answered by one thread that was already waiting on its socket: the activation thread.
 *
 * <p>Why one activation thread: native libraries keep state per calling thread. A ResNet-50 forward pass on
 * a thread that never ran one took 306–335 ms against 56–110 ms on a thread that had (a probe in one JVM,
 * session 16); libgomp, for one, makes a team of worker threads for each thread that opens a parallel
 * region. So every piece of the action's work ({@link Handler#isWork}: {@code /engine}, {@code /preload},
 * {@code /offload}, {@code /init}, {@code /run}) runs on that thread, one at a time.
 *
 * <p>Why its own socket: the JDK's {@code HttpServer} read every request on its dispatcher thread's selector
 * and handed the exchange to another thread, a wake-up of a parked thread per call, which costs on these
 * virtual machines; the exchange could not be read where it was computed. Here:
 * <ul>
 *   <li>The activation thread <em>owns</em> at most one connection, registered with its own selector, and
 *       blocks in that selector while idle. A request on it is read, handled and answered on this thread:
 *       no other thread runs on a warm call. The invoker's client sends one activation at a time on its most
 *       recently used kept-alive connection, so a warm function's calls all arrive on the owned one.
 *   <li>The acceptor thread blocks in {@code accept}. A new connection goes to the activation thread when
 *       it owns none, else to a reader thread of its own.
 *   <li>A reader thread reads its connection in blocking mode and answers what may run anywhere
 *       ({@code /stats}, unknown paths) itself, so {@code /stats} answers while a run holds the activation
 *       thread. When a work request arrives on it, it hands the connection, with the request, to the
 *       activation thread and ends: a hand-off once ({@link #handOffs}), then later requests on that
 *       connection come straight to the activation thread. Taking a connection, the activation thread gives
 *       the one it owned to a reader thread.
 * </ul>
 * Worked example: a stem cell's first {@code /engine} comes on a new connection, accepted into the
 * activation thread; {@code /init} and every {@code /run} after it on that connection cost no hand-off. The
 * client drops the connection after 4 s idle; the next call opens a new one, again owned. A {@code /stats}
 * poll during a run opens a second connection, answered by its reader thread.
 *
 * <p>Caveats: while the activation thread computes, a request on the connection it owns waits (a client
 * that pipelines); a client that stops reading its answer holds the activation thread up to 30 s. Bodies
 * are read whole before the handler runs (at most {@code maxBody} bytes, else 413).
 */
public final class ProxyServer implements AutoCloseable {

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Handler handler;
    private final int maxBody;
    private final ExecutorService readers;
    private final ConcurrentLinkedQueue<Given> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong handOffs = new AtomicLong();

    /** A hint for the acceptor: the activation thread owns no connection (it takes the next one). */
    private volatile boolean ownsNone = true;

    private volatile boolean closed;

    /** The connection the activation thread reads; touched by that thread only. */
    private Connection owned;

    private ProxyServer(ServerSocketChannel listener, Selector selector, Handler handler, int maxBody) {
        this.listener = listener;
        this.selector = selector;
        this.handler = handler;
        this.maxBody = maxBody;
        this.readers = Executors.newCachedThreadPool(new ReaderThreads());
    }

    /**
     * Binds {@code address} and starts the acceptor (not a daemon: it keeps the process alive) and the
     * activation thread.
     */
    public static ProxyServer start(InetSocketAddress address, int backlog, int maxBody, Handler handler)
            throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(address, backlog);
        ProxyServer server = new ProxyServer(listener, Selector.open(), handler, maxBody);
        Thread activation = new Thread(
                new Runnable() {
                    @Override
                    public void run() {
                        server.activationLoop();
                    }
                },
                "hearth-activation");
        activation.setDaemon(true);
        activation.start();
        Thread acceptor = new Thread(
                new Runnable() {
                    @Override
                    public void run() {
                        server.acceptLoop();
                    }
                },
                "hearth-accept");
        acceptor.start();
        return server;
    }

    public int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connections accepted since the start. */
    public long connections() {
        return connections.get();
    }

    /**
     * Work requests that arrived on a connection the activation thread did not own, so a reader thread
     * handed them over (each also hands the connection over, so the next request on it comes straight).
     */
    public long handOffs() {
        return handOffs.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        selector.wakeup();
        readers.shutdownNow(); // interrupting a blocked read closes its channel
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (!closed) { // out of descriptors, say: wait a little rather than spin on the failure
                    System.err.println("runtime-proxy: accept failed: " + e);
                    pause();
                }
                continue;
            }
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                closeQuietly(channel); // gone already
                continue;
            }
            connections.incrementAndGet();
            Connection connection = new Connection(channel, maxBody);
            if (ownsNone) {
                ownsNone = false;
                give(connection, null);
            } else {
                readers.execute(new Reader(connection));
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Hands {@code connection} (and a request read from it, if any) to the activation thread. */
    private void give(Connection connection, Request request) {
        inbox.add(new Given(connection, request));
        selector.wakeup();
    }

    /** A connection handed to the activation thread, with the request that made a reader hand it over. */
    private record Given(Connection connection, Request request) {}

    private void activationLoop() {
        try {
            while (!closed) {
                if (inbox.isEmpty()) {
                    selector.select();
                } else {
                    selector.selectNow();
                }
                selector.selectedKeys().clear();
                Given given;
                while ((given = inbox.poll()) != null) {
                    own(given.connection());
                    if (given.request() != null && owned == given.connection()) {
                        serve(given.connection(), given.request());
                    }
                }
                if (owned != null) {
                    serveArrived(owned);
                }
            }
        } catch (ClosedSelectorException e) {
            // closed
        } catch (IOException e) {
            System.err.println("runtime-proxy: the activation thread's selector failed: " + e);
        } finally {
            if (owned != null) {
                owned.close();
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** The activation thread takes {@code connection}, giving the one it owned to a reader thread. */
    private void own(Connection connection) throws IOException {
        if (owned != null) {
            Connection previous = owned;
            previous.key.cancel();
            selector.selectNow(); // deregisters the key, so the channel may block again
            previous.key = null;
            try {
                previous.channel.configureBlocking(true);
                readers.execute(new Reader(previous));
            } catch (IOException e) {
                previous.close();
            }
        }
        try {
            connection.channel.configureBlocking(false);
            connection.key = connection.channel.register(selector, SelectionKey.OP_READ);
            owned = connection;
            ownsNone = false;
        } catch (IOException e) {
            connection.close();
            drop();
        }
    }

    /** Serves every complete request that has arrived on the owned connection, without blocking. */
    private void serveArrived(Connection connection) {
        try {
            Request request;
            while (owned == connection && (request = connection.next()) != null) {
                serve(connection, request);
            }
            if (owned == connection && connection.ended()) {
                connection.close();
                drop();
            }
        } catch (HttpError e) {
            refuse(connection, e);
            drop();
        } catch (IOException e) {
            connection.close();
            drop();
        }
    }

    private void serve(Connection connection, Request request) {
        boolean close = !request.keepAlive();
        try {
            connection.answer(handler.handle(request), close);
        } catch (IOException e) {
            close = true;
        }
        if (close) {
            connection.close();
            if (owned == connection) {
                drop();
            }
        }
    }

    private void drop() {
        owned = null;
        ownsNone = true;
    }

    private void refuse(Connection connection, HttpError e) {
        try {
            connection.answer(handler.refuse(e.status(), e.getMessage()), true);
        } catch (IOException ignored) {
            // the client is gone too
        }
        connection.close();
    }

    /** A connection read in blocking mode until a work request comes on it (then given away) or it ends. */
    private final class Reader implements Runnable {
        private final Connection connection;

        Reader(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            try {
                Request request;
                while ((request = connection.next()) != null) {
                    if (handler.isWork(request)) {
                        handOffs.incrementAndGet();
                        give(connection, request);
                        return;
                    }
                    boolean close = !request.keepAlive();
                    connection.answer(handler.handle(request), close);
                    if (close) {
                        break;
                    }
                }
            } catch (HttpError e) {
                refuse(connection, e);
                return;
            } catch (IOException e) {
                // the client went away
            }
            connection.close();
        }
    }

    private static final class ReaderThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "hearth-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
