package dev.protevus.boot.autoconfigure.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of one server that a test can cut, as a network blip cuts one
 * instance off while the others still reach the server: cutting closes every open
 * connection and refuses new ones until restored.
 */
final class TcpProxy implements AutoCloseable {

	private final String host;

	private final int targetPort;

	private final int port;

	private volatile ServerSocket server;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicLong firstConnectionSinceRestore = new AtomicLong();

	TcpProxy(String host, int targetPort) throws IOException {
		this.host = host;
		this.targetPort = targetPort;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
	}

	private ServerSocket listen(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
		Thread acceptor = new Thread(() -> accept(socket), "tcp-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return socket;
	}

	int port() {
		return this.port;
	}

	/**
	 * Closes every connection and stops listening, so that new ones are refused, until
	 * {@link #restore()}.
	 */
	void cut() throws IOException {
		this.server.close();
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/**
	 * Listens again, on the same port.
	 */
	void restore() throws IOException {
		this.firstConnectionSinceRestore.set(0);
		this.server = listen(this.port);
	}

	/**
	 * When the first connection since {@link #restore()} was accepted, by
	 * {@link System#nanoTime()}.
	 * @return the time, 0 while none was
	 */
	long firstConnectionSinceRestore() {
		return this.firstConnectionSinceRestore.get();
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			try {
				Socket client = listening.accept();
				this.firstConnectionSinceRestore.compareAndSet(0, System.nanoTime());
				Socket target = new Socket(this.host, this.targetPort);
				this.sockets.add(client);
				this.sockets.add(target);
				pump(client, target);
				pump(target, client);
			}
			catch (IOException ex) {
				// Closed, or the target refused: the client sees its connection end.
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// One side closed.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed.
		}
	}

	@Override
	public void close() throws IOException {
		cut();
	}

}
