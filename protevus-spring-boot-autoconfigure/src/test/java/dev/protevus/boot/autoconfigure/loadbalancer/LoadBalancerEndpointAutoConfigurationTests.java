package dev.protevus.boot.autoconfigure.loadbalancer;

import java.util.List;

import dev.protevus.boot.actuate.loadbalancer.LoadBalancerEndpoint;
import dev.protevus.boot.actuate.loadbalancer.LoadBalancerMeterBinder;
import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.ServiceState;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancerEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				ProtevusLoadBalancerAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class, LoadBalancerEndpointAutoConfiguration.class,
				LoadBalancerMetricsAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.metrics())
		.withConfiguration(BootAutoConfigurations.simpleMetricsExport())
		.withPropertyValues(
				"protevus.loadbalancer.services.pricing.instances=http://127.0.0.1:9001,http://127.0.0.1:9002",
				"protevus.loadbalancer.services.pricing.strategy=least-connections");

	@Test
	void endpointIsNotExposedUnlessTheApplicationExposesIt() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(LoadBalancerEndpoint.class));
	}

	@Test
	void exposedEndpointDescribesEveryServiceAndInstance() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=loadbalancer")
			.run((context) -> {
				LoadBalancerEndpoint endpoint = context.getBean(LoadBalancerEndpoint.class);
				LoadBalancerEndpoint.ServiceDescriptor pricing = endpoint.services().services().get("pricing");
				assertThat(pricing.strategy()).isEqualTo("least-connections");
				assertThat(pricing.total()).isEqualTo(2);
				assertThat(pricing.healthy()).isEqualTo(2);
				assertThat(pricing.instances()).extracting(LoadBalancerEndpoint.InstanceDescriptor::instance)
					.containsExactly("127.0.0.1:9001", "127.0.0.1:9002");
				assertThat(pricing.instances()).extracting(LoadBalancerEndpoint.InstanceDescriptor::state)
					.containsOnly("healthy");
				assertThat(endpoint.service("pricing")).isEqualTo(pricing);
				assertThat(endpoint.service("unknown")).isNull();
			});
	}

	@Test
	void endpointBacksOffWhenDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=loadbalancer",
					"management.endpoint.loadbalancer.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LoadBalancerEndpoint.class));
	}

	@Test
	void metersDescribeEveryInstanceIncludingLaterOnes() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LoadBalancerMeterBinder.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("protevus.loadbalancer.inflight").tag("service", "pricing").gauges()).hasSize(2);
			ServiceState later = context.getBean(LoadBalancerRegistry.class).service("later");
			later.available(List.of(new DefaultServiceInstance("a", "later", "10.0.0.1", 80, false)),
					java.util.Set.of());
			assertThat(meters.get("protevus.loadbalancer.healthy")
				.tags("service", "later", "instance", "10.0.0.1:80")
				.gauge()
				.value()).isEqualTo(1);
			assertThat(meters.get("protevus.loadbalancer.ejections")
				.tags("service", "later", "instance", "10.0.0.1:80")
				.functionCounter()
				.count()).isZero();
		});
	}

}
