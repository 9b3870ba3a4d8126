package dev.protevus.boot.scaling;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;

/**
 * What this instance uses now, as the VPA recommender samples it: CPU in cores and the
 * memory working set (heap, non-heap and direct buffers in use).
 *
 * @since 0.1.0
 */
public interface ResourceUsage {

	/**
	 * CPU used now.
	 * @return cores, such as 0.25; {@link Double#NaN} when unknown
	 */
	double cpuCores();

	/**
	 * Memory used now.
	 * @return bytes; negative when unknown
	 */
	long memoryBytes();

	/**
	 * This JVM's usage: the process CPU load times the available processors, and heap,
	 * non-heap and direct buffer memory in use.
	 * @return the usage
	 */
	static ResourceUsage jvm() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		return new ResourceUsage() {

			@Override
			public double cpuCores() {
				if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
					double load = sun.getProcessCpuLoad();
					return (load >= 0) ? load * os.getAvailableProcessors() : Double.NaN;
				}
				return Double.NaN;
			}

			@Override
			public long memoryBytes() {
				long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
					.stream()
					.mapToLong(BufferPoolMXBean::getMemoryUsed)
					.filter((used) -> used > 0)
					.sum();
				return memory.getHeapMemoryUsage().getUsed() + memory.getNonHeapMemoryUsage().getUsed() + direct;
			}

		};
	}

}
