package dev.protevus.boot.cache;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class RateLimitedLogTests {

	@Test
	void logsTheFirstErrorOfAnIntervalAndHoldsBackTheRest(CapturedOutput output) {
		RateLimitedLog log = new RateLimitedLog("Redis tier of cache 'books':");
		for (int i = 0; i < 100; i++) {
			log.warn("get", new IOException("Connection refused " + i));
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("Redis tier of cache 'books': get failed")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("served as a miss", "IOException: Connection refused 0"));
		assertThat(output.getOut()).doesNotContain("Connection refused 1");
	}

}
