package dev.protevus.benchmarks.loadbalancer;

import java.util.ArrayList;
import java.util.List;

import dev.protevus.boot.loadbalancer.HashRing;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * How many keys of the ip-hash ring move when one of n instances leaves, against the
 * ideal 1/n, and whether every key comes back when it returns. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.protevus.benchmarks.loadbalancer.HashRemapping}.
 */
public final class HashRemapping {

	private static final int KEYS = 100_000;

	private HashRemapping() {
	}

	public static void main(String[] args) {
		System.out.println(
				"| instances | keys moved when one leaves | ideal 1/n | moved / ideal | keys not back when it returns | largest share / fair share |");
		System.out.println("|---|---|---|---|---|---|");
		for (int n : new int[] { 3, 5, 10, 100 }) {
			List<ServiceInstance> instances = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				instances.add(new DefaultServiceInstance("i" + i, "svc", "10.0." + (i / 250) + "." + (i % 250 + 1),
						8080, false));
			}
			HashRing ring = new HashRing(instances);
			List<ServiceInstance> without = new ArrayList<>(instances);
			without.remove(n / 2);
			HashRing smaller = new HashRing(without);
			HashRing back = new HashRing(instances);
			int moved = 0;
			int notBack = 0;
			int[] share = new int[n];
			for (int k = 0; k < KEYS; k++) {
				String key = "192.168." + (k >>> 8 & 0xff) + "." + (k & 0xff) + "#" + (k >>> 16);
				ServiceInstance owner = ring.get(key);
				share[instances.indexOf(owner)]++;
				if (smaller.get(key) != owner) {
					moved++;
				}
				if (back.get(key) != owner) {
					notBack++;
				}
			}
			int largest = 0;
			for (int s : share) {
				largest = Math.max(largest, s);
			}
			double movedShare = (double) moved / KEYS;
			System.out.printf("| %d | %.4f | %.4f | %.3f | %d | %.3f |%n", n, movedShare, 1.0 / n, movedShare * n,
					notBack, largest / ((double) KEYS / n));
		}
	}

}
