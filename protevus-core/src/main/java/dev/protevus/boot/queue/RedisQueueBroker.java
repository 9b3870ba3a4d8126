package dev.protevus.boot.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.stream.ByteBufferRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.lang.Nullable;

/**
 * Keeps jobs in Redis Streams, shared by every instance: one stream per queue
 * ({@code <prefix>{<queue>}}) read by one consumer group, a sorted set of delayed jobs
 * and retries ({@code …:delayed}), and a dead-letter stream ({@code …:dead}); the braces
 * keep a queue's keys in one Redis Cluster slot. Completed jobs are acknowledged and
 * deleted, so a queue's length is its waiting plus pending jobs, and one consumer group
 * (one service) reads each queue.
 * <p>
 * Every step that touches more than one key (publish with deduplication, retry, burial,
 * moving due jobs, reclaiming with {@code XAUTOCLAIM}, Redis 6.2 or later) is one Lua
 * script, so it happens whole or not at all. Reads use {@code XREADGROUP} with
 * {@code BLOCK} on a connection of their own per queue, so they hold up no other command.
 *
 * @since 0.1.0
 */
public final class RedisQueueBroker implements QueueBroker {

	private static final Log logger = LogFactory.getLog(RedisQueueBroker.class);

	private static final String NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) ";

	private static final Script PUBLISH = Script.of("""
			if ARGV[8] == '1' then
			  local earlier = redis.call('GET', KEYS[3])
			  if earlier then return earlier end
			  redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[7])
			end
			""" + NOW + """
			local enqueued = string.format('%.0f', now)
			if tonumber(ARGV[6]) > 0 then
			  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]),
			    cjson.encode({ARGV[1], ARGV[2], ARGV[3], ARGV[4], enqueued, ''}))
			else
			  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], '*', 'id', ARGV[1], 'type', ARGV[2],
			    'payload', ARGV[3], 'attempt', ARGV[4], 'enqueued', enqueued)
			end
			return ARGV[1]
			""", String.class);

	private static final Script PROMOTE = Script.of(NOW + """
			local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
			for _, member in ipairs(due) do
			  local j = cjson.decode(member)
			  if j[6] ~= '' then
			    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'id', j[1], 'type', j[2], 'payload', j[3],
			      'attempt', j[4], 'enqueued', j[5], 'error', j[6])
			  else
			    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'id', j[1], 'type', j[2], 'payload', j[3],
			      'attempt', j[4], 'enqueued', j[5])
			  end
			  redis.call('ZREM', KEYS[2], member)
			end
			return #due
			""", Long.class);

	private static final Script RECLAIM = Script.of("""
			local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
			local out = {}
			for _, entry in ipairs(claimed[2]) do
			  if type(entry) == 'table' and type(entry[2]) == 'table' then
			    table.insert(out, entry[1])
			    table.insert(out, tostring(#entry[2]))
			    for _, value in ipairs(entry[2]) do table.insert(out, value) end
			  elseif type(entry) == 'table' then
			    redis.call('XACK', KEYS[1], ARGV[1], entry[1])
			  end
			end
			return out
			""", List.class);

	private static final Script COMPLETE = Script.of("""
			local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			redis.call('XDEL', KEYS[1], ARGV[2])
			return acked
			""", Long.class);

	private static final Script RETRY = Script.of("""
			local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			redis.call('XDEL', KEYS[1], ARGV[2])
			if acked == 1 then
			""" + NOW + """
			  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[4])
			end
			return acked
			""", Long.class);

	private static final Script BURY = Script.of(
			"""
					local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
					redis.call('XDEL', KEYS[1], ARGV[2])
					if acked == 1 then
					  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'id', ARGV[4], 'type', ARGV[5], 'payload', ARGV[6],
					    'attempt', ARGV[7], 'enqueued', ARGV[8], 'error', ARGV[9])
					end
					return acked
					""",
			Long.class);

	/**
	 * Removes a consumer from the group unless jobs are still pending on it: those stay
	 * to be reclaimed by another consumer, which deleting it would lose.
	 */
	private static final Script LEAVE = Script.of("""
			if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then
			  return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
			end
			return -1
			""", Long.class);

	private static final Script STATS = Script.of("""
			local length = redis.call('XLEN', KEYS[1])
			local pending, consumers = 0, 0
			if redis.call('EXISTS', KEYS[1]) == 1 then
			  for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
			    local name, c, p
			    for i = 1, #group, 2 do
			      if group[i] == 'name' then name = group[i + 1]
			      elseif group[i] == 'consumers' then c = group[i + 1]
			      elseif group[i] == 'pending' then p = group[i + 1] end
			    end
			    if name == ARGV[1] then pending = p consumers = c end
			  end
			end
			local lag = 0
			local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
			if #first > 0 then
			""" + NOW + """
			  lag = math.max(0, now - tonumber(string.match(first[1][1], '^(%d+)')))
			end
			return {length, pending, consumers, lag, redis.call('ZCARD', KEYS[2]), redis.call('XLEN', KEYS[3])}
			""", List.class);

	private static final Script RETRY_DEAD = Script.of("""
			local entries = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', tonumber(ARGV[2]))
			for _, entry in ipairs(entries) do
			  local f = {}
			  for i = 1, #entry[2], 2 do f[entry[2][i]] = entry[2][i + 1] end
			  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'id', f['id'], 'type', f['type'],
			    'payload', f['payload'], 'attempt', '1', 'enqueued', f['enqueued'])
			  redis.call('XDEL', KEYS[2], entry[1])
			end
			return #entries
			""", Long.class);

	private static final Script PURGE_DEAD = Script.of("""
			local length = redis.call('XLEN', KEYS[1])
			redis.call('DEL', KEYS[1])
			return length
			""", Long.class);

	private static final int BATCH = 1000;

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final Mono<ReactiveRedisConnection> connect;

	private volatile ReactiveRedisConnection connection;

	private final String keyPrefix;

	private final String group;

	private final Function<String, QueueSettings> settings;

	private final ObjectMapper json = new ObjectMapper();

	private final Scheduler connector;

	private final Map<String, Mono<ReactiveRedisConnection>> readers = new ConcurrentHashMap<>();

	/**
	 * Creates a broker.
	 * @param connectionFactory the application's Redis connection factory
	 * @param keyPrefix what every key starts with, such as {@code queue:}
	 * @param group the consumer group, one per service
	 * @param settings the settings of each queue, for its maximum length
	 * @param connector where the reading connections are opened, which may block, such as
	 * the {@code BackgroundScheduler}'s
	 */
	public RedisQueueBroker(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, String group,
			Function<String, QueueSettings> settings, Scheduler connector) {
		this.connectionFactory = connectionFactory;
		this.keyPrefix = keyPrefix;
		this.group = group;
		this.settings = settings;
		this.connector = connector;
		// One connection for every command but the blocking reads, opened off the
		// caller's
		// thread: the factory may lock while it connects, which an event loop must not.
		this.connect = Mono.fromCallable(connectionFactory::getReactiveConnection)
			.subscribeOn(connector)
			.doOnNext((opened) -> this.connection = opened)
			.cache((opened) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO, () -> Duration.ZERO);
		// Connect now, in the background, so that the first publish does not wait for it.
		this.connect.subscribe(null, (ex) -> {
		});
	}

	/**
	 * The key of a queue's stream.
	 * @param queue the queue
	 * @return the key
	 */
	public String streamKey(String queue) {
		return this.keyPrefix + "{" + queue + "}";
	}

	/**
	 * The key of a queue's dead-letter stream.
	 * @param queue the queue
	 * @return the key
	 */
	public String deadKey(String queue) {
		return streamKey(queue) + ":dead";
	}

	private String delayedKey(String queue) {
		return streamKey(queue) + ":delayed";
	}

	@Override
	public Mono<String> publish(String queue, EncodedJob job, Duration delay, @Nullable String deduplicationId,
			Duration deduplicationWindow) {
		String dedupKey = streamKey(queue) + ":dedup:" + ((deduplicationId != null) ? deduplicationId : "");
		return script(PUBLISH, List.of(streamKey(queue), delayedKey(queue), dedupKey),
				List.of(job.id(), job.type(), job.payload(), Integer.toString(job.attempt()), maxLength(queue),
						Long.toString(delay.toMillis()), Long.toString(deduplicationWindow.toMillis()),
						(deduplicationId != null) ? "1" : "0"))
			.next()
			.map(String::valueOf);
	}

	@Override
	public Mono<Void> prepare(String queue) {
		ByteBuffer key = bytes(streamKey(queue));
		return connection().flatMap(
				(connection) -> connection.streamCommands().xGroupCreate(key, this.group, ReadOffset.from("0"), true))
			.onErrorResume((ex) -> String.valueOf(ex.getMessage()).contains("BUSYGROUP")
					|| (ex.getCause() != null && String.valueOf(ex.getCause().getMessage()).contains("BUSYGROUP")),
					(ex) -> Mono.empty())
			.then();
	}

	@Override
	public Mono<List<Delivery>> read(String queue, String consumer, int count, Duration block) {
		Mono<ReactiveRedisConnection> reader = this.readers.computeIfAbsent(consumer + "\n" + queue,
				(name) -> Mono.fromCallable(this.connectionFactory::getReactiveConnection)
					.subscribeOn(this.connector)
					.cache((connection) -> Duration.ofMillis(Long.MAX_VALUE), (ex) -> Duration.ZERO,
							() -> Duration.ZERO));
		return reader.flatMap((connection) -> connection.streamCommands()
			.xReadGroup(Consumer.from(this.group, consumer), StreamReadOptions.empty().count(count).block(block),
					StreamOffset.create(bytes(streamKey(queue)), ReadOffset.lastConsumed()))
			.map(RedisQueueBroker::delivery)
			.collectList());
	}

	@Override
	public Mono<List<Delivery>> reclaim(String queue, String consumer, int count, Duration minIdle) {
		return script(RECLAIM, List.of(streamKey(queue)),
				List.of(this.group, consumer, Long.toString(minIdle.toMillis()), Integer.toString(count)))
			.collectList()
			.map(RedisQueueBroker::flatten)
			.map((values) -> {
				List<Delivery> deliveries = new ArrayList<>();
				int i = 0;
				while (i + 1 < values.size()) {
					String messageId = values.get(i);
					int fieldCount = Integer.parseInt(values.get(i + 1));
					Map<String, String> fields = new HashMap<>();
					for (int f = 0; f + 1 < fieldCount; f += 2) {
						fields.put(values.get(i + 2 + f), values.get(i + 3 + f));
					}
					deliveries.add(new Delivery(messageId, job(fields)));
					i += 2 + fieldCount;
				}
				return deliveries;
			});
	}

	@Override
	public Mono<Void> complete(String queue, Delivery delivery) {
		return script(COMPLETE, List.of(streamKey(queue)), List.of(this.group, delivery.messageId())).then();
	}

	@Override
	public Mono<Void> retry(String queue, Delivery delivery, EncodedJob next, Duration delay) {
		return script(RETRY, List.of(streamKey(queue), delayedKey(queue)),
				List.of(this.group, delivery.messageId(), Long.toString(delay.toMillis()), member(next)))
			.then();
	}

	@Override
	public Mono<Void> bury(String queue, Delivery delivery, String error) {
		EncodedJob job = delivery.job();
		return script(BURY, List.of(streamKey(queue), deadKey(queue)),
				List.of(this.group, delivery.messageId(), maxLength(queue), job.id(), job.type(), job.payload(),
						Integer.toString(job.attempt()), Long.toString(job.enqueuedAt()), error))
			.then();
	}

	@Override
	public Mono<Long> promoteDue(String queue) {
		return script(PROMOTE, List.of(streamKey(queue), delayedKey(queue)),
				List.of(maxLength(queue), Integer.toString(BATCH)))
			.next()
			.map(RedisQueueBroker::number);
	}

	@Override
	public Mono<QueueStats> stats(String queue) {
		return script(STATS, List.of(streamKey(queue), delayedKey(queue), deadKey(queue)), List.of(this.group))
			.collectList()
			.map(RedisQueueBroker::flatten)
			.map((values) -> {
				long length = Long.parseLong(values.get(0));
				long pending = Long.parseLong(values.get(1));
				return new QueueStats(queue, Math.max(0, length - pending), pending, Long.parseLong(values.get(2)),
						Duration.ofMillis(Long.parseLong(values.get(3))), Long.parseLong(values.get(4)),
						Long.parseLong(values.get(5)));
			});
	}

	@Override
	public Flux<DeadJob> deadJobs(String queue, int limit) {
		return connection()
			.flatMapMany((connection) -> connection.streamCommands()
				.xRevRange(bytes(deadKey(queue)), Range.unbounded(), Limit.limit().count(limit)))
			.map((record) -> {
				Map<String, String> fields = fields(record);
				EncodedJob job = job(fields);
				Long timestamp = record.getId().getTimestamp();
				return new DeadJob(job.id(), job.type(), job.attempt(), Instant.ofEpochMilli(job.enqueuedAt()),
						(timestamp != null) ? Instant.ofEpochMilli(timestamp) : null, fields.getOrDefault("error", ""));
			});
	}

	@Override
	public Mono<Long> retryDead(String queue) {
		Mono<Long> batch = script(RETRY_DEAD, List.of(streamKey(queue), deadKey(queue)),
				List.of(maxLength(queue), Integer.toString(BATCH)))
			.next()
			.map(RedisQueueBroker::number);
		return batch.expand((moved) -> (moved < BATCH) ? Mono.empty() : batch).reduce(0L, Long::sum);
	}

	@Override
	public Mono<Long> purgeDead(String queue) {
		return script(PURGE_DEAD, List.of(deadKey(queue)), List.of()).next().map(RedisQueueBroker::number);
	}

	@Override
	public void release(String consumer) {
		this.readers.entrySet().removeIf((entry) -> {
			if (entry.getKey().startsWith(consumer + "\n")) {
				entry.getValue().flatMap(ReactiveRedisConnection::closeLater).subscribe(null, (ex) -> {
				});
				leave(entry.getKey().substring(consumer.length() + 1), consumer);
				return true;
			}
			return false;
		});
	}

	/**
	 * Takes a stopped consumer out of the queue's group, so that the group's consumers
	 * are the running ones; best effort, as a consumer left behind costs nothing but its
	 * entry.
	 */
	private void leave(String queue, String consumer) {
		script(LEAVE, List.of(streamKey(queue)), List.of(this.group, consumer)).subscribe(null, (ex) -> {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not take consumer '" + consumer + "' out of queue '" + queue + "': " + ex);
			}
		});
	}

	private String maxLength(String queue) {
		return Long.toString(this.settings.apply(queue).maxLength());
	}

	private String member(EncodedJob job) {
		try {
			return this.json
				.writeValueAsString(List.of(job.id(), job.type(), job.payload(), Integer.toString(job.attempt()),
						Long.toString(job.enqueuedAt()), (job.error() != null) ? job.error() : ""));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write a job as JSON", ex);
		}
	}

	private static Delivery delivery(ByteBufferRecord record) {
		return new Delivery(record.getId().getValue(), job(fields(record)));
	}

	private static Map<String, String> fields(ByteBufferRecord record) {
		Map<String, String> fields = new HashMap<>();
		record.getValue().forEach((field, value) -> fields.put(string(field), string(value)));
		return fields;
	}

	private Mono<ReactiveRedisConnection> connection() {
		ReactiveRedisConnection opened = this.connection;
		return (opened != null) ? Mono.just(opened) : this.connect;
	}

	/**
	 * Runs a script by its SHA-1, loading it with EVAL when Redis does not know it yet,
	 * and turns its reply into text, numbers and lists.
	 */
	private Flux<Object> script(Script script, List<String> keys, List<String> args) {
		ByteBuffer[] keysAndArgs = new ByteBuffer[keys.size() + args.size()];
		for (int i = 0; i < keys.size(); i++) {
			keysAndArgs[i] = bytes(keys.get(i));
		}
		for (int i = 0; i < args.size(); i++) {
			keysAndArgs[keys.size() + i] = bytes(args.get(i));
		}
		ReturnType type = script.type();
		return connection()
			.flatMapMany((connection) -> connection.scriptingCommands()
				.<Object>evalSha(script.sha1(), type, keys.size(), duplicates(keysAndArgs))
				.onErrorResume(RedisQueueBroker::isNoScript,
						(ex) -> connection.scriptingCommands()
							.eval(bytes(script.text()), type, keys.size(), duplicates(keysAndArgs))))
			.map(RedisQueueBroker::decode);
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static ByteBuffer[] duplicates(ByteBuffer[] buffers) {
		ByteBuffer[] copies = new ByteBuffer[buffers.length];
		for (int i = 0; i < buffers.length; i++) {
			copies[i] = buffers[i].duplicate();
		}
		return copies;
	}

	private static Object decode(Object reply) {
		if (reply instanceof ByteBuffer buffer) {
			return string(buffer);
		}
		if (reply instanceof byte[] raw) {
			return new String(raw, StandardCharsets.UTF_8);
		}
		if (reply instanceof List<?> list) {
			return list.stream().map(RedisQueueBroker::decode).toList();
		}
		return reply;
	}

	private static EncodedJob job(Map<String, String> fields) {
		String attempt = fields.get("attempt");
		String enqueued = fields.get("enqueued");
		return new EncodedJob(fields.getOrDefault("id", ""), fields.getOrDefault("type", ""),
				fields.getOrDefault("payload", "null"), (attempt != null) ? Integer.parseInt(attempt) : 1,
				(enqueued != null) ? Long.parseLong(enqueued) : 0, fields.get("error"));
	}

	/**
	 * A script's multi-bulk reply as text, whether the driver emitted it as one list or
	 * element by element.
	 */
	private static List<String> flatten(List<?> reply) {
		List<String> values = new ArrayList<>();
		for (Object element : reply) {
			if (element instanceof List<?> nested) {
				nested.forEach((value) -> values.add(String.valueOf(value)));
			}
			else {
				values.add(String.valueOf(element));
			}
		}
		return values;
	}

	private static long number(Object reply) {
		return (reply instanceof Number number) ? number.longValue() : Long.parseLong(String.valueOf(reply));
	}

	private static ByteBuffer bytes(String value) {
		return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
	}

	private static String string(ByteBuffer buffer) {
		return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
	}

	/**
	 * A Lua script with its SHA-1 worked out once, when this class loads: Spring Data's
	 * {@code DefaultRedisScript} works it out lazily under a lock, which an event loop
	 * must not wait on.
	 */
	private record Script(String text, String sha1, ReturnType type) {

		static Script of(String text, Class<?> resultType) {
			return new Script(text, RedisScript.of(text, resultType).getSha1(), ReturnType.fromJavaType(resultType));
		}

	}

}
