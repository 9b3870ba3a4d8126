package dev.protevus.boot.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import dev.protevus.boot.task.BackgroundScheduler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

class ProtevusAutoConfigurationTests {

	private static final List<String> PROTEVUS_AUTO_CONFIGURATIONS = StreamSupport
		.stream(ImportCandidates.load(AutoConfiguration.class, ProtevusAutoConfigurationTests.class.getClassLoader())
			.spliterator(), false)
		.filter((name) -> name.startsWith("dev.protevus."))
		.toList();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PROTEVUS_AUTO_CONFIGURATIONS.stream()
			.map((name) -> ClassUtils.resolveClassName(name, null))
			.toArray(Class<?>[]::new)));

	@Test
	void importsListsTheRootAutoConfiguration() {
		assertThat(PROTEVUS_AUTO_CONFIGURATIONS).contains(ProtevusAutoConfiguration.class.getName());
	}

	@Test
	void bindsSharedPropertiesByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ProtevusProperties.class)
			.getBean(ProtevusProperties.class)
			.extracting(ProtevusProperties::isEnabled)
			.isEqualTo(true));
	}

	@Test
	void masterSwitchTurnsEveryProtevusBeanOff() {
		this.contextRunner.withPropertyValues("protevus.enabled=false")
			.run((context) -> assertThat(Arrays.stream(context.getBeanDefinitionNames())
				.map(context::getType)
				.filter((type) -> type != null && type.getName().startsWith("dev.protevus."))).isEmpty());
	}

	@Test
	void providesOneBoundedBackgroundSchedulerForEveryFeature() {
		this.contextRunner.withPropertyValues("protevus.scheduler.threads=3").run((context) -> {
			assertThat(context).hasSingleBean(BackgroundScheduler.class);
			BackgroundScheduler scheduler = context.getBean(BackgroundScheduler.class);
			CompletableFuture<String> thread = new CompletableFuture<>();
			scheduler.schedule("test", () -> thread.complete(Thread.currentThread().getName()), Duration.ZERO);
			assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith(BackgroundScheduler.THREAD_NAME_PREFIX);
		});
	}

	@Test
	void backgroundSchedulerIsDisposedWithTheContext() {
		AtomicReference<BackgroundScheduler> scheduler = new AtomicReference<>();
		this.contextRunner.run((context) -> scheduler.set(context.getBean(BackgroundScheduler.class)));
		assertThat(scheduler.get().isDisposed()).isTrue();
	}

	@Test
	void applicationsOwnBackgroundSchedulerIsUsed() {
		this.contextRunner.withBean("ownScheduler", BackgroundScheduler.class, () -> new BackgroundScheduler(1, 10))
			.run((context) -> assertThat(context).getBean(BackgroundScheduler.class)
				.isSameAs(context.getBean("ownScheduler")));
	}

	@Test
	void schedulerWithoutThreadsFailsStartUp() {
		this.contextRunner.withPropertyValues("protevus.scheduler.threads=0")
			.run((context) -> assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription())
				.contains("protevus.scheduler.threads"));
	}

	@Test
	void schedulerWithoutQueueFailsStartUp() {
		this.contextRunner.withPropertyValues("protevus.scheduler.queue-capacity=-1")
			.run((context) -> assertThat(StartupFailures.analyze(context.getStartupFailure()).getDescription())
				.contains("protevus.scheduler.queue-capacity"));
	}

	@Test
	void everyProtevusAutoConfigurationObeysTheMasterSwitch() {
		assertThat(PROTEVUS_AUTO_CONFIGURATIONS)
			.allSatisfy((name) -> assertThat(MergedAnnotations.from(ClassUtils.resolveClassName(name, null))
				.isPresent(ConditionalOnProtevusEnabled.class)).as("%s is @ConditionalOnProtevusEnabled", name)
				.isTrue());
	}

}
