package dev.protevus.boot.scaling;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Feeds {@link RequestLatencies} from the observation that WebFlux starts for every
 * request ({@code http.server.requests}), so that the {@code p99-latency} signal needs no
 * percentile from Micrometer's timers.
 *
 * @since 0.1.0
 */
public class RequestLatencyObservationHandler implements ObservationHandler<ServerRequestObservationContext> {

	private static final Object START = RequestLatencyObservationHandler.class.getName() + ".start";

	private final RequestLatencies latencies;

	/**
	 * Creates the handler.
	 * @param latencies where the latencies go
	 */
	public RequestLatencyObservationHandler(RequestLatencies latencies) {
		this.latencies = latencies;
	}

	@Override
	public void onStart(ServerRequestObservationContext context) {
		context.put(START, System.nanoTime());
	}

	@Override
	public void onStop(ServerRequestObservationContext context) {
		Long start = context.get(START);
		if (start != null) {
			this.latencies.record(System.nanoTime() - start);
		}
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ServerRequestObservationContext;
	}

}
