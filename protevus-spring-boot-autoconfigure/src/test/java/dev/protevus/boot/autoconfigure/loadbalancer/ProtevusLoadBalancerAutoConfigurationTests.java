package dev.protevus.boot.autoconfigure.loadbalancer;

import java.time.Duration;

import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.loadbalancer.ActiveHealthChecks;
import dev.protevus.boot.loadbalancer.ConsistentHashLoadBalancer;
import dev.protevus.boot.loadbalancer.HashKey;
import dev.protevus.boot.loadbalancer.InstanceTrafficLifecycle;
import dev.protevus.boot.loadbalancer.LeastConnectionsLoadBalancer;
import dev.protevus.boot.loadbalancer.LoadBalancerProblemMapper;
import dev.protevus.boot.loadbalancer.LoadBalancerRegistry;
import dev.protevus.boot.loadbalancer.LoadBalancerRetryFilter;
import dev.protevus.boot.loadbalancer.ServiceSettings;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.RandomLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ProtevusLoadBalancerAutoConfigurationTests {

	private static final String PRICING = "protevus.loadbalancer.services.pricing.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				ProtevusLoadBalancerAutoConfiguration.class));

	@Test
	void providesTheSharedPartsOfLoadBalancing() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(LoadBalancerSettings.class)
			.hasSingleBean(LoadBalancerRegistry.class)
			.hasSingleBean(InstanceTrafficLifecycle.class)
			.hasSingleBean(ActiveHealthChecks.class)
			.hasSingleBean(LoadBalancerRetryFilter.class)
			.hasSingleBean(LoadBalancerProblemMapper.class));
	}

	@Test
	void eachServiceGetsTheLoadBalancerOfItsStrategy() {
		this.contextRunner
			.withPropertyValues("protevus.loadbalancer.services.a.strategy=round-robin",
					"protevus.loadbalancer.services.b.strategy=least-connections",
					"protevus.loadbalancer.services.c.strategy=ip-hash",
					"protevus.loadbalancer.services.d.strategy=weighted",
					"protevus.loadbalancer.services.e.strategy=random")
			.run((context) -> {
				assertThat(loadBalancer(context, "a")).isInstanceOf(RoundRobinLoadBalancer.class);
				assertThat(loadBalancer(context, "b")).isInstanceOf(LeastConnectionsLoadBalancer.class);
				assertThat(loadBalancer(context, "c")).isInstanceOf(ConsistentHashLoadBalancer.class);
				assertThat(loadBalancer(context, "d")).isInstanceOf(RoundRobinLoadBalancer.class);
				assertThat(loadBalancer(context, "e")).isInstanceOf(RandomLoadBalancer.class);
				assertThat(loadBalancer(context, "unconfigured")).isInstanceOf(RoundRobinLoadBalancer.class);
			});
	}

	@Test
	void defaultStrategyAppliesToEveryService() {
		this.contextRunner.withPropertyValues("protevus.loadbalancer.strategy=least-connections")
			.run((context) -> assertThat(loadBalancer(context, "anything"))
				.isInstanceOf(LeastConnectionsLoadBalancer.class));
	}

	@Test
	void applicationsOwnLoadBalancerForAServiceWins() {
		this.contextRunner.withUserConfiguration(OwnClients.class)
			.withPropertyValues(PRICING + "strategy=least-connections")
			.run((context) -> {
				assertThat(loadBalancer(context, "pricing")).isInstanceOf(OwnLoadBalancer.class);
				assertThat(loadBalancer(context, "other")).isInstanceOf(RoundRobinLoadBalancer.class);
			});
	}

	@Test
	void servicesInheritTheDefaultsTheyDoNotSet() {
		this.contextRunner
			.withPropertyValues("protevus.loadbalancer.health-check.interval=7s",
					"protevus.loadbalancer.health-check.enabled=true", "protevus.loadbalancer.hash-key=cookie:SESSION",
					PRICING + "instances=http://127.0.0.1:9001,https://pricing-2.internal",
					PRICING + "health-check.path=/ready", PRICING + "outlier-detection.consecutive-failures=3",
					PRICING + "retry.methods=GET,POST", PRICING + "retry.retry-on=connect-failure,503")
			.run((context) -> {
				ServiceSettings pricing = context.getBean(LoadBalancerSettings.class).apply("pricing");
				assertThat(pricing.instances()).extracting(Object::toString)
					.containsExactly("http://127.0.0.1:9001", "https://pricing-2.internal");
				assertThat(pricing.healthCheck().enabled()).isTrue();
				assertThat(pricing.healthCheck().interval()).isEqualTo(Duration.ofSeconds(7));
				assertThat(pricing.healthCheck().path()).isEqualTo("/ready");
				assertThat(pricing.hashKey()).isEqualTo(HashKey.cookie("SESSION"));
				assertThat(pricing.outlierDetection().consecutiveFailures()).isEqualTo(3);
				assertThat(pricing.retry().methods()).containsExactlyInAnyOrder("GET", "POST");
				assertThat(pricing.retry().statuses()).containsExactly(503);
				assertThat(pricing.retry().connectFailure()).isTrue();
				assertThat(pricing.retry().reset()).isFalse();
				ServiceSettings other = context.getBean(LoadBalancerSettings.class).apply("other");
				assertThat(other.healthCheck().path()).isEqualTo("/actuator/health");
				assertThat(other.outlierDetection().consecutiveFailures()).isEqualTo(5);
			});
	}

	@Test
	void unknownStrategyFailsStartUp() {
		assertStartupFailureNames(PRICING + "strategy", PRICING + "strategy=fastest");
	}

	@Test
	void unknownDefaultStrategyFailsStartUp() {
		assertStartupFailureNames("protevus.loadbalancer.strategy", "protevus.loadbalancer.strategy=fastest");
	}

	@Test
	void instanceThatIsNotABaseUrlFailsStartUp() {
		assertStartupFailureNames(PRICING + "instances[1]",
				PRICING + "instances=http://127.0.0.1:9001,127.0.0.1:9002/prices");
	}

	@Test
	void negativeHealthCheckIntervalFailsStartUp() {
		assertStartupFailureNames(PRICING + "health-check.interval", PRICING + "health-check.interval=-5s");
	}

	@Test
	void headerHashKeyWithoutANameFailsStartUp() {
		assertStartupFailureNames(PRICING + "hash-key", PRICING + "hash-key=header:");
	}

	@Test
	void unknownRetryConditionFailsStartUp() {
		assertStartupFailureNames(PRICING + "retry.retry-on", PRICING + "retry.retry-on=sometimes");
	}

	@Test
	void backsOffWithoutSpringCloudLoadBalancer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ReactorServiceInstanceLoadBalancer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(LoadBalancerRegistry.class));
	}

	@Test
	void backsOffWhenSpringCloudLoadBalancerIsOff() {
		this.contextRunner.withPropertyValues("spring.cloud.loadbalancer.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LoadBalancerRegistry.class));
	}

	@Test
	void leavesRetryToSpringCloudLoadBalancerWhenItsRetryIsOn() {
		this.contextRunner.withPropertyValues("spring.cloud.loadbalancer.retry.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(LoadBalancerRetryFilter.class));
	}

	private void assertStartupFailureNames(String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription()).contains(property);
		});
	}

	private static Object loadBalancer(AssertableApplicationContext context, String service) {
		return context.getBean(LoadBalancerClientFactory.class).getInstance(service);
	}

	@Configuration(proxyBeanMethods = false)
	@LoadBalancerClient(name = "pricing", configuration = OwnLoadBalancerConfiguration.class)
	static class OwnClients {

	}

	static class OwnLoadBalancerConfiguration {

		@Bean
		OwnLoadBalancer ownLoadBalancer() {
			return new OwnLoadBalancer();
		}

	}

	static class OwnLoadBalancer implements ReactorServiceInstanceLoadBalancer {

		@Override
		@SuppressWarnings("rawtypes")
		public Mono<Response<ServiceInstance>> choose(Request request) {
			return Mono.just(new EmptyResponse());
		}

	}

}
