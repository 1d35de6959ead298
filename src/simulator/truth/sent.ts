/**
 * The part of a world's truth a run sent: a run that stops early (its count, or Ctrl-C) must not hand over
 * labels of payments the pipeline never saw.
 */
import type { WorldTruth } from './types.ts';

/** The attempts and declines of these payments (`pay_…`), and the churn of the customers who made them. */
export function truthOfPayments(truth: WorldTruth, paymentRefs: ReadonlySet<string>): WorldTruth {
  const fraud = truth.fraud.filter((record) => paymentRefs.has(record.payment_ref));
  const customers = new Set(fraud.map((record) => record.customer_ref));
  return {
    fraud,
    retry: truth.retry.filter((record) => paymentRefs.has(record.payment_ref)),
    churn: truth.churn.filter((record) => customers.has(record.customer_ref)),
  };
}
