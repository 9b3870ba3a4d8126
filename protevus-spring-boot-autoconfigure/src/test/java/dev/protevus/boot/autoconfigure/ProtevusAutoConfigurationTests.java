package dev.protevus.boot.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;

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
	void everyProtevusAutoConfigurationObeysTheMasterSwitch() {
		assertThat(PROTEVUS_AUTO_CONFIGURATIONS)
			.allSatisfy((name) -> assertThat(MergedAnnotations.from(ClassUtils.resolveClassName(name, null))
				.isPresent(ConditionalOnProtevusEnabled.class)).as("%s is @ConditionalOnProtevusEnabled", name)
				.isTrue());
	}

}
