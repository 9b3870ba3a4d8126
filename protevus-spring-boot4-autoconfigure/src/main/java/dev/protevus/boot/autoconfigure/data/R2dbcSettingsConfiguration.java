package dev.protevus.boot.autoconfigure.data;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads Spring Boot's R2DBC properties and connection details into the
 * {@link R2dbcSettings} that the shared database configurations take.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(R2dbcProperties.class)
class R2dbcSettingsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	R2dbcSettings protevusR2dbcSettings(R2dbcProperties properties,
			ObjectProvider<R2dbcConnectionDetails> connectionDetails) {
		R2dbcProperties.Pool pool = properties.getPool();
		return new R2dbcSettings(() -> {
			R2dbcConnectionDetails details = connectionDetails.getIfAvailable();
			return R2dbcSettings.primaryOptions((details != null) ? details.getConnectionFactoryOptions() : null,
					properties.getUsername(), properties.getPassword());
		}, properties.getProperties(),
				new R2dbcSettings.Pool(pool.getMaxIdleTime(), pool.getMaxLifeTime(), pool.getMaxAcquireTime(),
						pool.getAcquireRetry(), pool.getMaxCreateConnectionTime(), pool.getInitialSize(),
						pool.getMaxSize(), pool.getValidationQuery(), pool.getValidationDepth(), pool.getMinIdle(),
						pool.getMaxValidationTime()));
	}

}
