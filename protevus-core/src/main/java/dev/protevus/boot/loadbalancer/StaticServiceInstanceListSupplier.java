package dev.protevus.boot.loadbalancer;

import java.net.URI;
import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The instances of a service as a fixed list of URLs, for when no discovery client knows
 * the service.
 *
 * @since 0.1.0
 */
public class StaticServiceInstanceListSupplier implements ServiceInstanceListSupplier {

	private final String serviceId;

	private final List<ServiceInstance> instances;

	/**
	 * Creates a supplier.
	 * @param serviceId the service
	 * @param urls the instances' base URLs, such as {@code http://127.0.0.1:9001}
	 */
	public StaticServiceInstanceListSupplier(String serviceId, List<URI> urls) {
		this.serviceId = serviceId;
		this.instances = urls.stream().map((url) -> instance(serviceId, url)).toList();
	}

	private static ServiceInstance instance(String serviceId, URI url) {
		boolean secure = "https".equalsIgnoreCase(url.getScheme());
		int port = (url.getPort() != -1) ? url.getPort() : (secure ? 443 : 80);
		return new DefaultServiceInstance(url.getHost() + ":" + port, serviceId, url.getHost(), port, secure);
	}

	/**
	 * The instances.
	 * @return the instances, in the order configured
	 */
	public List<ServiceInstance> instances() {
		return this.instances;
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return Flux.just(this.instances);
	}

}
