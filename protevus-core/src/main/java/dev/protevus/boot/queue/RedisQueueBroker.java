package dev.protevus.boot.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveStreamCommands;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.stream.ByteBufferRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
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
 * Every step that touches more than one key (publish with deduplication or a delay,
 * retry, burial, moving due jobs, reclaiming with {@code XAUTOCLAIM}, Redis 6.2 or later)
 * is one Lua script, so it happens whole or not at all; the steps every job takes use
 * plain commands: a job to run now is one {@code XADD}, and completed jobs are
 * acknowledged and deleted in batches with {@code XACK} and {@code XDEL}. Reads use
 * {@code XREADGROUP} with {@code BLOCK} on a connection of their own per queue, so they
 * hold up no other command.
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

	/**
	 * A queue's figures. Waiting jobs are the entries after the group's last delivered
	 * one, not the stream's length less the pending ones: an acknowledged entry whose
	 * {@code XDEL} was lost (a failover between the two) stays in the stream, but behind
	 * the group's position, so it counts as neither waiting nor running, and the lag, the
	 * age of the oldest waiting or running job, ignores it too. Past 1,000 waiting
	 * entries the count falls back to the length less the pending ones.
	 */
	private static final Script STATS = Script.of("""
			local length = redis.call('XLEN', KEYS[1])
			local pending, consumers, last = 0, 0, nil
			if redis.call('EXISTS', KEYS[1]) == 1 then
			  for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
			    local name, c, p, l
			    for i = 1, #group, 2 do
			      if group[i] == 'name' then name = group[i + 1]
			      elseif group[i] == 'consumers' then c = group[i + 1]
			      elseif group[i] == 'pending' then p = group[i + 1]
			      elseif group[i] == 'last-delivered-id' then l = group[i + 1] end
			    end
			    if name == ARGV[1] then pending = p consumers = c last = l end
			  end
			end
			local waiting = math.max(0, length - pending)
			local oldest = nil
			if last then
			  local after = redis.call('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', 1000)
			  if #after < 1000 then waiting = #after end
			  if #after > 0 then oldest = tonumber(string.match(after[1][1], '^(%d+)')) end
			  if pending > 0 then
			    local running = redis.call('XPENDING', KEYS[1], ARGV[1])[2]
			    if running then
			      local started = tonumber(string.match(running, '^(%d+)'))
			      if oldest == nil or started < oldest then oldest = started end
			    end
			  end
			else
			  local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
			  if #first > 0 then oldest = tonumber(string.match(first[1][1], '^(%d+)')) end
			end
			local lag = 0
			if oldest then
			""" + NOW + """
			  lag = math.max(0, now - oldest)
			end
			return {waiting, pending, consumers, lag, redis.call('ZCARD', KEYS[2]), redis.call('XLEN', KEYS[3])}
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

	private static final int MAX_ACKS = 500;

	private static final ByteBuffer ID = bytes("id");

	private static final ByteBuffer TYPE = bytes("type");

	private static final ByteBuffer PAYLOAD = bytes("payload");

	private static final ByteBuffer ATTEMPT = bytes("attempt");

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final Mono<ReactiveRedisConnection> connect;

	private volatile ReactiveRedisConnection connection;

	private final String keyPrefix;

	private final String group;

	private final Function<String, QueueSettings> settings;

	private final ObjectMapper json = new ObjectMapper();

	private final Scheduler connector;

	private final Map<String, Mono<ReactiveRedisConnection>> readers = new ConcurrentHashMap<>();

	private final Map<String, Acks> acks = new ConcurrentHashMap<>();

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
		if (deduplicationId == null && delay.isZero() && job.enqueuedAt() == 0 && job.error() == null) {
			return add(queue, job);
		}
		String dedupKey = streamKey(queue) + ":dedup:" + ((deduplicationId != null) ? deduplicationId : "");
		return script(PUBLISH, List.of(streamKey(queue), delayedKey(queue), dedupKey),
				List.of(job.id(), job.type(), job.payload(), Integer.toString(job.attempt()), maxLength(queue),
						Long.toString(delay.toMillis()), Long.toString(deduplicationWindow.toMillis()),
						(deduplicationId != null) ? "1" : "0"))
			.next()
			.map(String::valueOf);
	}

	/**
	 * Publishes a job to run now with one bare {@code XADD}, no script: the entry's id,
	 * which Redis makes from its own clock, is the enqueue time, so the entry carries no
	 * {@code enqueued} field (see {@link #job(String, Map)}).
	 */
	private Mono<String> add(String queue, EncodedJob job) {
		Map<ByteBuffer, ByteBuffer> fields = new LinkedHashMap<>(8);
		fields.put(ID.duplicate(), bytes(job.id()));
		fields.put(TYPE.duplicate(), bytes(job.type()));
		fields.put(PAYLOAD.duplicate(), bytes(job.payload()));
		fields.put(ATTEMPT.duplicate(), bytes(Integer.toString(job.attempt())));
		ByteBufferRecord record = StreamRecords.newRecord().in(bytes(streamKey(queue))).ofBuffer(fields);
		XAddOptions options = XAddOptions.maxlen(this.settings.apply(queue).maxLength()).approximateTrimming(true);
		return connection().flatMap((connection) -> connection.streamCommands().xAdd(record, options))
			.thenReturn(job.id());
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
					deliveries.add(new Delivery(messageId, job(messageId, fields)));
					i += 2 + fieldCount;
				}
				return deliveries;
			});
	}

	/**
	 * Acknowledges and deletes a job with {@code XACK} and {@code XDEL}, sent together on
	 * one connection, which Redis runs in that order, rather than with a script: the
	 * acknowledgement alone decides that the job is done, and an entry whose deletion was
	 * lost stays in the stream until {@code MAXLEN} trims it, read by no consumer of the
	 * group again and counted in no figure of {@link #stats(String)}. Jobs completed
	 * while a queue's previous acknowledgement is under way are acknowledged together in
	 * the next one (see {@link Acks}).
	 */
	@Override
	public Mono<Void> complete(String queue, Delivery delivery) {
		Acks acks = this.acks.computeIfAbsent(queue, Acks::new);
		return Mono.create((sink) -> acks.add(delivery.messageId(), sink));
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
				long waiting = Long.parseLong(values.get(0));
				long pending = Long.parseLong(values.get(1));
				return new QueueStats(queue, waiting, pending, Long.parseLong(values.get(2)),
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
				EncodedJob job = job(record.getId().getValue(), fields);
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
		String messageId = record.getId().getValue();
		return new Delivery(messageId, job(messageId, fields(record)));
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

	/**
	 * A job from its stream entry. An entry without an {@code enqueued} field was
	 * published with a bare {@code XADD}, so its id's milliseconds are its enqueue time.
	 */
	private static EncodedJob job(String messageId, Map<String, String> fields) {
		String attempt = fields.get("attempt");
		String enqueued = fields.get("enqueued");
		return new EncodedJob(fields.getOrDefault("id", ""), fields.getOrDefault("type", ""),
				fields.getOrDefault("payload", "null"), (attempt != null) ? Integer.parseInt(attempt) : 1,
				(enqueued != null) ? Long.parseLong(enqueued) : idMillis(messageId), fields.get("error"));
	}

	private static long idMillis(String messageId) {
		int dash = messageId.indexOf('-');
		return Long.parseLong((dash >= 0) ? messageId.substring(0, dash) : messageId);
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
		if (buffer.hasArray()) {
			return new String(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining(),
					StandardCharsets.UTF_8);
		}
		return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
	}

	/**
	 * One queue's acknowledgements, sent one batch at a time: the first completed job is
	 * acknowledged at once, and those completed while its {@code XACK} is under way wait
	 * for it and go together in the next {@code XACK} and {@code XDEL}, so that a busy
	 * queue costs Redis and this client a few commands per batch of jobs rather than two
	 * per job, and an idle one waits for nothing. Each job's completion succeeds or fails
	 * with the acknowledgement that carried it. A batch whose every completion was
	 * cancelled (timed out) is cancelled too, so that Lettuce does not send it after a
	 * reconnection: those jobs stay pending and are reclaimed, as their outcome was not
	 * recorded.
	 */
	private final class Acks {

		private final ByteBuffer key;

		private final List<Ack> waiting = new ArrayList<>();

		private boolean sending;

		Acks(String queue) {
			this.key = bytes(streamKey(queue));
		}

		void add(String id, MonoSink<Void> sink) {
			Ack ack = new Ack(id, sink);
			sink.onCancel(() -> cancel(ack));
			synchronized (this) {
				this.waiting.add(ack);
				if (this.sending) {
					return;
				}
				this.sending = true;
			}
			sendNext();
		}

		private void cancel(Ack ack) {
			Batch batch;
			synchronized (this) {
				ack.cancelled = true;
				batch = ack.batch;
			}
			if (batch != null) {
				batch.cancelled();
			}
		}

		void sendNext() {
			Batch batch;
			synchronized (this) {
				this.waiting.removeIf((ack) -> ack.cancelled);
				if (this.waiting.isEmpty()) {
					this.sending = false;
					return;
				}
				List<Ack> head = this.waiting.subList(0, Math.min(this.waiting.size(), MAX_ACKS));
				batch = new Batch(this, List.copyOf(head));
				head.forEach((ack) -> ack.batch = batch);
				head.clear();
			}
			batch.send();
		}

	}

	private static final class Ack {

		final String id;

		final MonoSink<Void> sink;

		boolean cancelled;

		@Nullable
		Batch batch;

		Ack(String id, MonoSink<Void> sink) {
			this.id = id;
			this.sink = sink;
		}

	}

	private final class Batch {

		private final Acks acks;

		private final List<Ack> members;

		private final AtomicInteger live;

		private final AtomicBoolean over = new AtomicBoolean();

		private final Disposable.Swap sending = Disposables.swap();

		Batch(Acks acks, List<Ack> members) {
			this.acks = acks;
			this.members = members;
			this.live = new AtomicInteger(members.size());
		}

		void send() {
			String[] ids = this.members.stream().map((ack) -> ack.id).toArray(String[]::new);
			ByteBuffer key = this.acks.key;
			this.sending.update(connection().flatMap((connection) -> {
				ReactiveStreamCommands streams = connection.streamCommands();
				return Mono.when(streams.xAck(key.duplicate(), RedisQueueBroker.this.group, ids),
						streams.xDel(key.duplicate(), ids).onErrorResume((ex) -> Mono.empty()));
			}).subscribe(null, (ex) -> end((ack) -> ack.sink.error(ex)), () -> end((ack) -> ack.sink.success())));
		}

		void cancelled() {
			if (this.live.decrementAndGet() == 0 && this.over.compareAndSet(false, true)) {
				this.sending.dispose();
				this.acks.sendNext();
			}
		}

		private void end(java.util.function.Consumer<Ack> outcome) {
			if (this.over.compareAndSet(false, true)) {
				this.members.forEach(outcome);
				this.acks.sendNext();
			}
		}

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
