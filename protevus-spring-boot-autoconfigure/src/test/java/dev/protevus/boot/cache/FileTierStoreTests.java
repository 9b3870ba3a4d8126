package dev.protevus.boot.cache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.task.BackgroundScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier contract on the file tier.
 */
class FileTierStoreTests extends AbstractTierStoreTests {

	@TempDir
	Path directory;

	private final BackgroundScheduler background = new BackgroundScheduler(2, 100);

	private final List<FileTierSupport> supports = new ArrayList<>();

	@AfterEach
	void shutDown() {
		this.supports.forEach(FileTierSupport::destroy);
		this.background.dispose();
	}

	@Override
	TierStore store(String prefix, String cacheName, TieredCacheSettings settings) {
		FileTierSupport support = new FileTierSupport(this.directory, 16 * 1024 * 1024, prefix, this.clock,
				this.background);
		this.supports.add(support);
		return support.createStore(cacheName, settings, this.codec, this.clock);
	}

	@Override
	CacheTier tier() {
		return CacheTier.FILE;
	}

}
