package dev.protevus.boot.autoconfigure.session;

import java.time.Duration;

import dev.protevus.boot.autoconfigure.BootAutoConfigurations;
import dev.protevus.boot.autoconfigure.ProtevusAutoConfiguration;
import dev.protevus.boot.autoconfigure.StartupFailures;
import dev.protevus.boot.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

class SessionStoreAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProtevusAutoConfiguration.class, SessionStoreAutoConfiguration.class))
		.withConfiguration(BootAutoConfigurations.session())
		.withConfiguration(BootAutoConfigurations.redis());

	@Test
	void keepsSessionsInBoundedMemoryWhenTheApplicationConfiguresNoRedis() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ReactiveMapSessionRepository.class)
			.doesNotHaveBean(ReactiveRedisSessionRepository.class));
	}

	@Test
	void keepsSessionsInRedisUnderTheApplicationsPrefixWhenTheApplicationUsesRedis() {
		this.contextRunner.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("spring.application.name=shop")
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveRedisSessionRepository.class);
				assertThat(context.getBean(ReactiveRedisSessionRepository.class))
					.hasFieldOrPropertyWithValue("namespace", "shop:session:");
			});
	}

	@Test
	void aSessionWrittenThroughOneInstanceIsReadThroughAnother() {
		ReactiveWebApplicationContextRunner service = this.contextRunner
			.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("spring.application.name=stateless");
		service.run((first) -> service.run((second) -> {
			ReactiveSessionRepository<Session> mine = repository(first);
			ReactiveSessionRepository<Session> theirs = repository(second);
			Session session = mine.createSession().block(Duration.ofSeconds(5));
			session.setAttribute("cart", "book-42");
			mine.save(session).block(Duration.ofSeconds(5));
			Session found = theirs.findById(session.getId()).block(Duration.ofSeconds(5));
			assertThat(found).isNotNull();
			assertThat((String) found.getAttribute("cart")).isEqualTo("book-42");
		}));
	}

	@Test
	void keepsSessionsInMemoryWhenAskedToDespiteRedis() {
		this.contextRunner.withPropertyValues(TestRedis.get().propertyValues())
			.withPropertyValues("protevus.session.store=memory")
			.run((context) -> assertThat(context).hasSingleBean(ReactiveMapSessionRepository.class));
	}

	@Test
	void failsToStartOnAnUnknownStoreNamingTheKey() {
		this.contextRunner.withPropertyValues("protevus.session.store=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription())
				.contains("protevus.session.store");
		});
	}

	@Test
	void backsOffWithoutSpringSession() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ReactiveSessionRepository.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SessionStoreProperties.class));
	}

	@SuppressWarnings("unchecked")
	private static ReactiveSessionRepository<Session> repository(
			org.springframework.context.ApplicationContext context) {
		return context.getBean(ReactiveSessionRepository.class);
	}

}
