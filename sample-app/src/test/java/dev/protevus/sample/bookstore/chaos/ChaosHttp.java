package dev.protevus.sample.bookstore.chaos;

import java.time.Duration;

import dev.protevus.sample.bookstore.chaos.ChaosLoad.Sample;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Single requests from the test thread, recorded like the load's.
 */
final class ChaosHttp {

	private static final ChaosLoad CLIENT = new ChaosLoad("single", 16, Duration.ofSeconds(30));

	private ChaosHttp() {
	}

	static Sample get(String url) {
		return send(HttpMethod.GET, url, null);
	}

	static Sample send(HttpMethod method, String url, String body) {
		return CLIENT.send(method, 0, (n) -> url, (body != null) ? (n) -> body : null).block(Duration.ofSeconds(60));
	}

}
