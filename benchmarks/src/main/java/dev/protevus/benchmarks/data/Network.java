package dev.protevus.benchmarks.data;

import java.net.InetSocketAddress;
import java.time.Duration;

import dev.protevus.benchmarks.net.LatencyProxy;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.lang.Nullable;

/**
 * The network between a benchmark's connections and PostgreSQL, chosen by the benchmarks'
 * {@code rttMicros} parameter: {@value #DIRECT} connects to the server itself; a number
 * connects through a {@link LatencyProxy} that adds a round trip of that many
 * microseconds, half to each direction, as a database in the same cloud zone is 300 µs to
 * 1 ms away. {@code 0} goes through the proxy without a delay, which against
 * {@value #DIRECT} measures the proxy's own cost. Fixture statements never go through the
 * proxy: only the connections under test do.
 */
final class Network implements AutoCloseable {

	/**
	 * The {@code rttMicros} value for connections straight to the server.
	 */
	static final String DIRECT = "direct";

	@Nullable
	private final LatencyProxy proxy;

	private final InetSocketAddress address;

	private Network(String rttMicros) {
		InetSocketAddress server = DataFixtures.server();
		if (DIRECT.equals(rttMicros)) {
			this.proxy = null;
			this.address = server;
		}
		else {
			long micros;
			try {
				micros = Long.parseLong(rttMicros);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(
						"rttMicros must be '" + DIRECT + "' or a number of microseconds but was '" + rttMicros + "'");
			}
			this.proxy = LatencyProxy.start(new InetSocketAddress(server.getHostString(), server.getPort()),
					Duration.ofNanos(micros * 1000));
			this.address = this.proxy.address();
		}
	}

	/**
	 * Starts the network of a parameter's value.
	 * @param rttMicros {@value #DIRECT} or a round trip in microseconds
	 * @return the network, with its proxy started if it has one
	 */
	static Network of(String rttMicros) {
		return new Network(rttMicros);
	}

	/**
	 * The driver's own factory for connections over this network.
	 */
	ConnectionFactory driver() {
		return DataFixtures.driver(this.address);
	}

	@Override
	public void close() {
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

}
