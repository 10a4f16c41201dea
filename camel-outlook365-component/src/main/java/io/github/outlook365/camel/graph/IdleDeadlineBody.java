package io.github.outlook365.camel.graph;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A streamed answer (an attachment, a MIME export) read as an InputStream that fails when no byte arrives for
 * {@code idle}: the JDK's request timeout stops at the response headers, so a server that stalls in the middle of a
 * body would otherwise block the reader forever. A large body that keeps flowing is never cut off. One chunk is asked
 * for at a time, so memory holds one chunk, never the body.
 */
final class IdleDeadlineBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Duration idle;
    private final String what;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> chunk = Collections.emptyIterator();
    private ByteBuffer buffer;
    private boolean ended;
    private boolean closed;
    // once the body failed, every further read fails the same way: a cut-off body never reads as a complete one
    private IOException failed;

    /** @param what the request, for the error message (method and path; no query, no token) */
    IdleDeadlineBody(Duration idle, String what) {
        this.idle = idle;
        this.what = what;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        arrived.add(failure);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the answer of " + what + " was closed");
        }
        if (failed != null) {
            throw failed;
        }
        if (length == 0) {
            return 0;
        }
        while (buffer == null || !buffer.hasRemaining()) {
            if (chunk.hasNext()) {
                buffer = chunk.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            next();
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(into, offset, n);
        return n;
    }

    @SuppressWarnings("unchecked")
    private void next() throws IOException {
        Object item;
        try {
            item = arrived.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new IOException("interrupted while reading the answer of " + what, e);
        }
        if (item == null) {
            cancel();
            failed = new HttpTimeoutException("the answer of " + what + " stalled: no data for " + idle.toMillis()
                                              + " ms (requestTimeout); it is cut off");
            throw failed;
        }
        if (item == END) {
            ended = true;
        } else if (item instanceof Throwable failure) {
            failed = failure instanceof IOException io ? io : new IOException(failure);
            throw failed;
        } else {
            chunk = ((List<ByteBuffer>) item).iterator();
            subscription.request(1);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (!ended) {
                cancel();
            }
        }
    }

    private void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
