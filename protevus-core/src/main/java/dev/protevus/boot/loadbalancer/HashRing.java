package dev.protevus.boot.loadbalancer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.springframework.cloud.client.ServiceInstance;

/**
 * A consistent-hash ring with virtual nodes: each instance owns
 * {@value #POINTS_PER_WEIGHT} points per unit of weight, placed by hashing its
 * {@code host:port}; a key belongs to the first point at or after its hash. Removing an
 * instance moves only the keys of its points, to the next points on the ring, and adding
 * it back moves exactly those keys back. Immutable; a lookup is a binary search.
 *
 * @since 0.1.0
 */
public final class HashRing {

	/**
	 * Virtual nodes per unit of weight.
	 */
	public static final int POINTS_PER_WEIGHT = 160;

	private final List<ServiceInstance> instances;

	private final long[] points;

	private final int[] owners;

	/**
	 * Builds the ring of some instances.
	 * @param instances the instances
	 */
	public HashRing(List<ServiceInstance> instances) {
		this.instances = List.copyOf(instances);
		int total = 0;
		for (ServiceInstance instance : this.instances) {
			total += POINTS_PER_WEIGHT * InstanceState.weight(instance);
		}
		long[] entries = new long[total];
		int[] owner = new int[total];
		int index = 0;
		for (int i = 0; i < this.instances.size(); i++) {
			ServiceInstance instance = this.instances.get(i);
			String key = InstanceState.key(instance);
			int count = POINTS_PER_WEIGHT * InstanceState.weight(instance);
			for (int point = 0; point < count; point++) {
				entries[index] = hash(key + "#" + point);
				owner[index] = i;
				index++;
			}
		}
		// Sort points and their owners together, ties by owner key so that every
		// instance of the application builds the same ring.
		Integer[] order = new Integer[total];
		for (int i = 0; i < total; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (x, y) -> {
			int byPoint = Long.compareUnsigned(entries[x], entries[y]);
			return (byPoint != 0) ? byPoint : InstanceState.key(this.instances.get(owner[x]))
				.compareTo(InstanceState.key(this.instances.get(owner[y])));
		});
		this.points = new long[total];
		this.owners = new int[total];
		for (int i = 0; i < total; i++) {
			this.points[i] = entries[order[i]];
			this.owners[i] = owner[order[i]];
		}
	}

	/**
	 * The instances on the ring.
	 * @return the instances, in the order given
	 */
	public List<ServiceInstance> instances() {
		return this.instances;
	}

	/**
	 * The instance that owns a key.
	 * @param key the key
	 * @return its instance
	 */
	public ServiceInstance get(String key) {
		long hash = hash(key);
		int low = 0;
		int high = this.points.length - 1;
		if (Long.compareUnsigned(hash, this.points[high]) > 0) {
			return this.instances.get(this.owners[0]);
		}
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (Long.compareUnsigned(this.points[middle], hash) < 0) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return this.instances.get(this.owners[low]);
	}

	/**
	 * 64-bit FNV-1a of the UTF-8 bytes, finished with SplitMix64's mixer so that close
	 * keys (127.0.0.1, 127.0.0.2) spread over the whole ring.
	 * @param value the value
	 * @return its hash
	 */
	static long hash(String value) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			hash ^= (b & 0xff);
			hash *= 0x100000001b3L;
		}
		hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
		hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
		return hash ^ (hash >>> 31);
	}

}
