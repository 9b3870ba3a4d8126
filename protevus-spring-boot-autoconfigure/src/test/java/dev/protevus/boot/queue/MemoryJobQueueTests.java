package dev.protevus.boot.queue;

import org.junit.jupiter.api.BeforeEach;

/**
 * The queue semantics on the memory broker.
 */
class MemoryJobQueueTests extends AbstractJobQueueTests {

	private MemoryQueueBroker broker;

	@BeforeEach
	void createBroker() {
		this.broker = new MemoryQueueBroker((name) -> SETTINGS);
	}

	@Override
	protected QueueBroker broker(String group) {
		return this.broker;
	}

}
