/**
 * `paypipe_consumer_lag_records{group,topic}`: the records each consumer group has not committed yet, read
 * from the event log at each scrape. /readyz stays ready while a stage waits on a failing store or inference
 * service (readiness is intake: the webhooks are durably logged), so the lag growing is how an operator sees a
 * stage down or stuck, as with Kafka's consumer lag.
 */
import { Gauge, type Registry } from 'prom-client';
import type { EventLog } from '../log/port.ts';

export function registerLagGauge(registry: Registry, log: Pick<EventLog, 'lags'>): void {
  new Gauge({
    name: 'paypipe_consumer_lag_records',
    help: 'Event-log records a consumer group has not committed yet, per topic',
    labelNames: ['group', 'topic'],
    registers: [registry],
    async collect() {
      const lags = await log.lags();
      this.reset();
      for (const { group, topic, lag } of lags) this.set({ group, topic }, lag);
    },
  });
}
