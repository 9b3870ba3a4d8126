package dev.protevus.boot.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A minimal blocking Redis client over one socket, for setting up embedded servers (a
 * cluster's slots and handshake, a sentinel's view) where no {@code redis-cli} may exist
 * and a real client would be a dependency users do not want. Replies are returned as
 * text, integers as their decimal text, arrays as lists; an error reply throws.
 */
final class RedisCommands implements AutoCloseable {

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private RedisCommands(Socket socket) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.in = new BufferedInputStream(socket.getInputStream());
	}

	static RedisCommands connect(String host, int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), 5000);
			socket.setSoTimeout(10000);
			return new RedisCommands(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Sends one command on a new connection and returns its reply.
	 */
	static Object once(String host, int port, String... command) throws IOException {
		try (RedisCommands redis = connect(host, port)) {
			return redis.call(command);
		}
	}

	Object call(String... command) throws IOException {
		return call(List.of(command));
	}

	Object call(List<String> command) throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		write(request, "*" + command.size() + "\r\n");
		for (String argument : command) {
			byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
			write(request, "$" + bytes.length + "\r\n");
			request.write(bytes);
			write(request, "\r\n");
		}
		this.out.write(request.toByteArray());
		this.out.flush();
		return read();
	}

	private Object read() throws IOException {
		int type = this.in.read();
		String line = line();
		return switch (type) {
			case '+', ':' -> line;
			case '-' -> throw new IOException("Redis answered: " + line);
			case '$' -> bulk(Integer.parseInt(line));
			case '*' -> {
				int count = Integer.parseInt(line);
				if (count < 0) {
					yield null;
				}
				List<Object> values = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					values.add(read());
				}
				yield values;
			}
			case -1 -> throw new IOException("Redis closed the connection");
			default -> throw new IOException("Unexpected Redis reply type '" + (char) type + "'");
		};
	}

	private String bulk(int length) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = this.in.readNBytes(length + 2);
		if (bytes.length < length + 2) {
			throw new IOException("Redis closed the connection");
		}
		return new String(bytes, 0, length, StandardCharsets.UTF_8);
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		for (int next = this.in.read(); next != -1; next = this.in.read()) {
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(next);
			previous = next;
		}
		throw new IOException("Redis closed the connection");
	}

	private static void write(ByteArrayOutputStream out, String text) {
		out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * Polls a condition every 20 ms until it holds, failing after the timeout. Used while
	 * servers converge, where no event says that they did.
	 */
	static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IOException("Timed out after " + timeout.toSeconds() + "s waiting until " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while waiting until " + what, ex);
			}
		}
	}

}
