package dev.protevus.boot.loadbalancer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.protevus.boot.task.BackgroundScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Checks the instances of every service whose health check is on: each interval, on the
 * shared {@link BackgroundScheduler}, a GET of the configured path on every instance,
 * sent without blocking on a fresh connection. An instance leaves after
 * {@code unhealthy-threshold} failed checks in a row and returns after
 * {@code healthy-threshold} good ones. Instances start healthy. Nothing here runs on the
 * request path.
 *
 * @since 0.1.0
 */
public class ActiveHealthChecks implements Disposable {

	private static final Log logger = LogFactory.getLog(ActiveHealthChecks.class);

	private final BackgroundScheduler scheduler;

	private final HttpClient client;

	private final Map<String, Disposable> tasks = new ConcurrentHashMap<>();

	private volatile boolean disposed;

	/**
	 * Creates the checks and starts checking each service as its first instance is seen.
	 * @param registry the services
	 * @param scheduler the scheduler the checks run on
	 */
	public ActiveHealthChecks(LoadBalancerRegistry registry, BackgroundScheduler scheduler) {
		this.scheduler = scheduler;
		// One connection per check: a pooled connection could hide a dead instance.
		this.client = HttpClient.create(ConnectionProvider.newConnection());
		registry.onInstance((instance) -> start(registry.service(instance.serviceId())));
	}

	private void start(ServiceState service) {
		ServiceSettings.HealthCheck check = service.settings().healthCheck();
		if (!check.enabled() || this.disposed) {
			return;
		}
		this.tasks.computeIfAbsent(service.serviceId(),
				(id) -> this.scheduler.schedulePeriodically("load-balancer health check of " + id,
						() -> checkAll(service), check.interval(), check.interval()));
	}

	/**
	 * Checks every instance of a service once.
	 * @param service the service
	 */
	public void checkAll(ServiceState service) {
		ServiceSettings.HealthCheck check = service.settings().healthCheck();
		for (InstanceState instance : service.instances()) {
			if (!instance.startCheck()) {
				// The previous check is still waiting for its answer or time-out.
				continue;
			}
			String url = instance.uri().toString().replaceAll("/$", "") + check.path();
			this.client.get()
				.uri(url)
				.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
				.timeout(check.timeout())
				.subscribe((status) -> record(instance, check, status >= 200 && status < 300, "HTTP " + status),
						(failure) -> record(instance, check, false, failure.getClass().getSimpleName()));
		}
	}

	private void record(InstanceState instance, ServiceSettings.HealthCheck check, boolean success, String result) {
		if (this.disposed) {
			return;
		}
		if (instance.checked(success, result, check.healthyThreshold(), check.unhealthyThreshold())) {
			if (instance.healthy()) {
				logger.info("Instance " + instance.key() + " of service '" + instance.serviceId()
						+ "' passed its health checks and is back");
			}
			else {
				logger.warn("Instance " + instance.key() + " of service '" + instance.serviceId()
						+ "' failed its health checks (" + result + ") and gets no traffic");
			}
		}
	}

	@Override
	public void dispose() {
		this.disposed = true;
		this.tasks.values().forEach(Disposable::dispose);
		this.tasks.clear();
	}

	@Override
	public boolean isDisposed() {
		return this.disposed;
	}

}
