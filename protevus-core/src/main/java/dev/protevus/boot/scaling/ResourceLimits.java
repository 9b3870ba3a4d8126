package dev.protevus.boot.scaling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.lang.Nullable;

/**
 * The CPU and memory this instance may use: the container's cgroup limits where they are
 * set, else the JVM's own (available processors and maximum heap).
 *
 * @param cpuCores the CPU limit in cores
 * @param memoryBytes the memory limit in bytes
 * @param source {@value #CGROUP_V2}, {@value #CGROUP_V1} or {@value #JVM}
 * @since 0.1.0
 */
public record ResourceLimits(double cpuCores, long memoryBytes, String source) {

	/**
	 * Limits read from cgroup v2 ({@code cpu.max}, {@code memory.max}).
	 */
	public static final String CGROUP_V2 = "cgroup-v2";

	/**
	 * Limits read from cgroup v1 ({@code cpu.cfs_quota_us},
	 * {@code memory.limit_in_bytes}).
	 */
	public static final String CGROUP_V1 = "cgroup-v1";

	/**
	 * The JVM's available processors and maximum heap.
	 */
	public static final String JVM = "jvm";

	// cgroup v1 reports "no limit" as a huge number rather than "max".
	private static final long V1_UNLIMITED = Long.MAX_VALUE / 2;

	/**
	 * Reads the limits of this process: the cgroup's where both or either are set,
	 * completed with the JVM's. Reads files, so call it at start-up, not on an event
	 * loop.
	 * @param cgroupRoot the cgroup file system, {@code /sys/fs/cgroup} outside tests
	 * @return the limits
	 */
	public static ResourceLimits detect(Path cgroupRoot) {
		Runtime runtime = Runtime.getRuntime();
		try {
			return detect(cgroupRoot, runtime.availableProcessors(), runtime.maxMemory());
		}
		catch (NumberFormatException ex) {
			// A cgroup file in a format this does not know: the JVM's limits still hold.
			return new ResourceLimits(runtime.availableProcessors(), runtime.maxMemory(), JVM);
		}
	}

	private static ResourceLimits detect(Path cgroupRoot, double jvmCpu, long jvmMemory) {
		String cpuMax = read(cgroupRoot.resolve("cpu.max"));
		String memoryMax = read(cgroupRoot.resolve("memory.max"));
		if (cpuMax != null || memoryMax != null) {
			Double cpu = null;
			if (cpuMax != null) {
				String[] parts = cpuMax.split("\\s+");
				if (parts.length == 2 && !"max".equals(parts[0])) {
					cpu = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
				}
			}
			Long memory = (memoryMax != null && !"max".equals(memoryMax)) ? Long.parseLong(memoryMax) : null;
			if (cpu != null || memory != null) {
				return new ResourceLimits((cpu != null) ? cpu : jvmCpu, (memory != null) ? memory : jvmMemory,
						CGROUP_V2);
			}
		}
		String quota = read(cgroupRoot.resolve("cpu/cpu.cfs_quota_us"));
		String period = read(cgroupRoot.resolve("cpu/cpu.cfs_period_us"));
		String limit = read(cgroupRoot.resolve("memory/memory.limit_in_bytes"));
		Double cpu = (quota != null && period != null && Long.parseLong(quota) > 0)
				? Double.parseDouble(quota) / Double.parseDouble(period) : null;
		Long memory = (limit != null && Long.parseLong(limit) < V1_UNLIMITED) ? Long.parseLong(limit) : null;
		if (cpu != null || memory != null) {
			return new ResourceLimits((cpu != null) ? cpu : jvmCpu, (memory != null) ? memory : jvmMemory, CGROUP_V1);
		}
		return new ResourceLimits(jvmCpu, jvmMemory, JVM);
	}

	@Nullable
	private static String read(Path file) {
		try {
			return Files.isReadable(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
