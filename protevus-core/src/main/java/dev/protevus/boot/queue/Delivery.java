package dev.protevus.boot.queue;

/**
 * A job handed to a consumer by a {@link QueueBroker}.
 *
 * @param messageId the broker's id of this delivery, such as a stream entry id
 * @param job the job
 * @since 0.1.0
 */
public record Delivery(String messageId, EncodedJob job) {

}
