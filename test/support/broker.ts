import { randomUUID } from 'node:crypto';
import { connect, type ConsumeMessage } from 'amqplib';
import { listening } from './listening';

/** The machine's RabbitMQ (guest/guest); TEST_BROKER_URL points elsewhere. */
export const BROKER_URL = process.env.TEST_BROKER_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Whether something listens at the broker's address (see {@link listening}). */
export function brokerListening(): boolean {
  return listening(BROKER_URL, 5672);
}

/** A consumer of everything published to one exchange: an exclusive queue bound with `#`. */
export interface ExchangeTap {
  exchange: string;
  messages: ConsumeMessage[];
  /** The parsed bodies of the messages received so far. */
  bodies<T = Record<string, unknown>>(): T[];
  close(): Promise<void>;
}

/** Declares a fresh exchange (as the service would) and listens to all of it. */
export async function tapNewExchange(): Promise<ExchangeTap> {
  const exchange = `payments.events.test-${randomUUID().slice(0, 8)}`;
  const connection = await connect(BROKER_URL);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, exchange, '#');
  const messages: ConsumeMessage[] = [];
  await channel.consume(queue, (message) => message && messages.push(message), { noAck: true });
  return {
    exchange,
    messages,
    bodies: <T>() => messages.map((m) => JSON.parse(m.content.toString('utf8')) as T),
    close: async () => {
      await channel.deleteExchange(exchange);
      await connection.close();
    },
  };
}
