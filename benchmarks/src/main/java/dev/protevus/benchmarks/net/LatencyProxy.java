package dev.protevus.benchmarks.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A TCP proxy on loopback that puts a network round trip between its clients and one
 * server, for benchmarks on a machine whose kernel cannot delay packets itself (no
 * {@code netem}). Every chunk of bytes read from either side is written to the other half
 * the round trip after it arrived, in the order it arrived, and a connection's end
 * follows its last bytes; the first bytes a client sends also wait out the round trip of
 * the TCP handshake that a real network would have made it wait for before it could send
 * anything, since the kernel completes the handshake on loopback at once. With a round
 * trip of zero the proxy forwards bytes as they come, which measures its own cost.
 * <p>
 * Timers need to be precise to a few microseconds at 250 µs: on Linux the proxy uses
 * Netty's epoll transport, whose timers wake through a {@code timerfd}, while the NIO
 * transport's selector rounds every wait up to a whole millisecond. Even a
 * {@code timerfd} wakes the thread some 50 to 80 µs late (the kernel's timer slack and
 * the scheduler), which would add about a third to a 500 µs round trip. So the proxy
 * learns how late its timers fire (the median of their lateness), sets them that much
 * early, and, when one fires before its bytes are due, spins for the few microseconds
 * left: no chunk ever leaves before its time, and most leave within a few microseconds of
 * it.
 * <p>
 * All connections share one event-loop thread, so the proxy costs the machine one thread,
 * whatever the number of connections.
 *
 * @since 0.1.0
 */
public final class LatencyProxy implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LatencyProxy.class);

	/**
	 * The most a timer is set early, and so the longest a chunk spins for, whatever the
	 * timers' lateness.
	 */
	static final long MAX_LEAD_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	/**
	 * Closes a lane's target once its bytes before the end are written.
	 */
	private static final Object END = new Object();

	private final EventLoopGroup group;

	private final Class<? extends Channel> channelType;

	private final Channel server;

	private final InetSocketAddress upstream;

	private final long roundTripNanos;

	private final long delayNanos;

	private final Lead lead = new Lead();

	private LatencyProxy(InetSocketAddress upstream, Duration roundTrip) {
		this.upstream = upstream;
		this.roundTripNanos = roundTrip.toNanos();
		this.delayNanos = this.roundTripNanos / 2;
		ThreadFactory threads = new DefaultThreadFactory("latency-proxy", true);
		boolean epoll = Epoll.isAvailable();
		if (!epoll && this.roundTripNanos > 0) {
			logger.warn("Netty's epoll transport is not available (" + Epoll.unavailabilityCause()
					+ "): the proxy's timers round up to whole milliseconds");
		}
		this.group = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
		this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
		Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class
				: NioServerSocketChannel.class;
		try {
			this.server = new ServerBootstrap().group(this.group)
				.channel(serverType)
				.childOption(ChannelOption.TCP_NODELAY, true)
				.childOption(ChannelOption.AUTO_READ, false)
				.childHandler(new ChannelInitializer<>() {
					@Override
					protected void initChannel(Channel client) {
						client.pipeline().addLast(new ClientRelay());
					}
				})
				.bind(InetAddress.getLoopbackAddress(), 0)
				.syncUninterruptibly()
				.channel();
		}
		catch (RuntimeException ex) {
			this.group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
			throw ex;
		}
	}

	/**
	 * Starts a proxy on an ephemeral loopback port.
	 * @param upstream the server that every connection is forwarded to
	 * @param roundTrip the round trip to add, half of it to each direction; zero to
	 * forward bytes as they come
	 * @return the started proxy
	 */
	public static LatencyProxy start(InetSocketAddress upstream, Duration roundTrip) {
		if (roundTrip.isNegative()) {
			throw new IllegalArgumentException("roundTrip must not be negative but was " + roundTrip);
		}
		return new LatencyProxy(upstream, roundTrip);
	}

	/**
	 * Where clients connect.
	 * @return the proxy's loopback address
	 */
	public InetSocketAddress address() {
		return (InetSocketAddress) this.server.localAddress();
	}

	/**
	 * The round trip the proxy adds.
	 * @return the round trip
	 */
	public Duration roundTrip() {
		return Duration.ofNanos(this.roundTripNanos);
	}

	/**
	 * Closes the proxy and every connection through it.
	 */
	@Override
	public void close() {
		this.server.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/**
	 * The handler of a client's channel: connects to the server when the client connects,
	 * then relays the client's bytes.
	 */
	private final class ClientRelay extends ChannelInboundHandlerAdapter {

		private Lane toServer;

		@Override
		public void channelActive(ChannelHandlerContext context) {
			Channel client = context.channel();
			// A client on a network can send nothing before its handshake's round trip.
			long firstSend = System.nanoTime() + LatencyProxy.this.roundTripNanos;
			Bootstrap bootstrap = new Bootstrap().group(client.eventLoop())
				.channel(LatencyProxy.this.channelType)
				.option(ChannelOption.TCP_NODELAY, true)
				.option(ChannelOption.AUTO_READ, false)
				.handler(new ChannelInboundHandlerAdapter());
			bootstrap.connect(LatencyProxy.this.upstream).addListener((ChannelFutureListener) (connected) -> {
				if (!connected.isSuccess()) {
					logger.warn("Could not connect to " + LatencyProxy.this.upstream, connected.cause());
					client.close();
					return;
				}
				Channel server = connected.channel();
				this.toServer = new Lane(server, firstSend);
				server.pipeline().addLast(new Relay(new Lane(client, Long.MIN_VALUE), client));
				server.closeFuture().addListener((closed) -> this.toServer.discard());
				if (!client.isActive()) {
					// Gone while connecting: nothing to relay.
					server.close();
					return;
				}
				client.config().setAutoRead(true);
				server.config().setAutoRead(true);
			});
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			this.toServer.add(message);
			if (!this.toServer.target.isWritable()) {
				context.channel().config().setAutoRead(false);
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			if (this.toServer != null) {
				this.toServer.flushDirect();
			}
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext context) {
			if (context.channel().isWritable() && this.toServer != null) {
				this.toServer.target.config().setAutoRead(true);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			if (this.toServer != null) {
				this.toServer.end();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			context.close();
		}

	}

	/**
	 * The handler of a server's channel, relaying the server's bytes to the client.
	 */
	private static final class Relay extends ChannelInboundHandlerAdapter {

		private final Lane toClient;

		private final Channel client;

		Relay(Lane toClient, Channel client) {
			this.toClient = toClient;
			this.client = client;
			client.closeFuture().addListener((closed) -> toClient.discard());
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			this.toClient.add(message);
			if (!this.client.isWritable()) {
				context.channel().config().setAutoRead(false);
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			this.toClient.flushDirect();
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext context) {
			if (context.channel().isWritable()) {
				this.client.config().setAutoRead(true);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			this.toClient.end();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			context.close();
		}

	}

	/**
	 * One direction of one connection: the chunks on their way to the target, in the
	 * order they arrived, each due half the round trip after it arrived. Only the event
	 * loop thread touches it.
	 */
	private final class Lane {

		private final Channel target;

		/**
		 * The earliest time a chunk is taken to have been sent, for the handshake's round
		 * trip; {@link Long#MIN_VALUE} for none, since {@link System#nanoTime()} may be
		 * negative.
		 */
		private final long notBefore;

		private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();

		/**
		 * When the pending timer was meant to fire, to measure its lateness.
		 */
		private long timerTarget;

		/**
		 * Whether the pending timer was set to wait at all; one due before it was set
		 * runs at once and says nothing about the timers' lateness.
		 */
		private boolean timerWaits;

		private boolean unflushed;

		private boolean discarded;

		Lane(Channel target, long notBefore) {
			this.target = target;
			this.notBefore = notBefore;
		}

		void add(Object message) {
			if (this.discarded) {
				ReferenceCountUtil.release(message);
				return;
			}
			long arrived = System.nanoTime();
			if (LatencyProxy.this.delayNanos == 0 && this.chunks.isEmpty() && arrived >= this.notBefore) {
				if (message == END) {
					this.unflushed = false;
					closeTarget();
				}
				else {
					this.target.write(message, this.target.voidPromise());
					this.unflushed = true;
				}
				return;
			}
			this.chunks.add(new Chunk(Math.max(arrived, this.notBefore) + LatencyProxy.this.delayNanos, message));
			if (this.chunks.size() == 1) {
				schedule(this.chunks.peek().due);
			}
		}

		/**
		 * Flushes what {@link #add} wrote without a delay, once per read.
		 */
		void flushDirect() {
			if (this.unflushed) {
				this.unflushed = false;
				this.target.flush();
			}
		}

		void end() {
			add(END);
		}

		/**
		 * Releases what is still on its way once the target has gone.
		 */
		void discard() {
			this.discarded = true;
			Chunk chunk;
			while ((chunk = this.chunks.poll()) != null) {
				ReferenceCountUtil.release(chunk.message);
			}
		}

		/**
		 * Closes the target once what was written before is flushed.
		 */
		private void closeTarget() {
			this.target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
			discard();
		}

		private void schedule(long due) {
			long now = System.nanoTime();
			long target = due - LatencyProxy.this.lead.nanos();
			this.timerTarget = target;
			this.timerWaits = target > now;
			this.target.eventLoop().schedule(this::send, target - now, TimeUnit.NANOSECONDS);
		}

		private void send() {
			long now = System.nanoTime();
			if (this.timerWaits) {
				LatencyProxy.this.lead.observe(now - this.timerTarget);
			}
			Chunk head = this.chunks.peek();
			if (head == null) {
				return;
			}
			if (head.due - now > MAX_LEAD_NANOS) {
				// Never expected, since timers do not fire early; wait again rather than
				// spin.
				schedule(head.due);
				return;
			}
			while (now < head.due) {
				Thread.onSpinWait();
				now = System.nanoTime();
			}
			boolean ended = false;
			while (head != null && head.due <= now) {
				this.chunks.poll();
				if (head.message == END) {
					ended = true;
				}
				else if (ended) {
					ReferenceCountUtil.release(head.message);
				}
				else {
					this.target.write(head.message, this.target.voidPromise());
				}
				head = this.chunks.peek();
			}
			if (ended) {
				closeTarget();
				return;
			}
			this.target.flush();
			if (head != null) {
				schedule(head.due);
			}
		}

	}

	/**
	 * Bytes, or the {@link #END} of the connection, and when they are due at the target.
	 */
	private record Chunk(long due, Object message) {

	}

	/**
	 * How early timers are set: an estimate of the median of their lateness, moved a
	 * microsecond up after each timer at least that late and a microsecond down after
	 * each earlier one. Half the timers then fire a little before their chunks are due
	 * and spin for the rest, a few microseconds, and the other half fire a few
	 * microseconds late; the 10th percentile, tried first, spun less but added its
	 * distance to the median to every delay, 5 to 8% of a 500 µs round trip against 1 to
	 * 3% with the median. Only the event loop thread touches it.
	 */
	private static final class Lead {

		private static final long STEP_NANOS = 1_000;

		private long nanos;

		long nanos() {
			return this.nanos;
		}

		void observe(long latenessNanos) {
			if (latenessNanos < this.nanos) {
				this.nanos = Math.max(0, this.nanos - STEP_NANOS);
			}
			else {
				this.nanos = Math.min(MAX_LEAD_NANOS, this.nanos + STEP_NANOS);
			}
		}

	}

}
