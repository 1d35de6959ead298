/**
 * A SQLite store file holding a few customers' pasts, and the events to score against it: a regular payer,
 * a card tester, a payment declined again and again, an anonymous payment. Each test opens its own copy.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { UnifiedPaymentEvent } from '../../../src/contracts/payment-event.ts';
import { createStore } from '../../../src/storage/create-store.ts';
import type { PaymentStore } from '../../../src/storage/port.ts';
import { DAY, enriched, failed, MINUTE, monthlyPayer, succeeded, T0 } from '../events.ts';

const PAST: readonly UnifiedPaymentEvent[] = [
  ...monthlyPayer(12, 5),
  ...Array.from({ length: 12 }, (_, i) =>
    failed(`pi_t${i}`, T0 - (i + 1) * MINUTE, 'incorrect_cvc', { customer_id: 'cus_tester', amount_cents: 100 }),
  ),
  ...Array.from({ length: 15 }, (_, i) =>
    failed('pi_again', T0 - (i + 1) * 1.5 * DAY, 'do_not_honor', { customer_id: 'cus_lapsed' }),
  ),
];

/** Events to score, each unlike the others: every route answers each of them. */
export const PROBES: readonly UnifiedPaymentEvent[] = [
  succeeded('pi_regular', T0),
  succeeded('pi_big', T0, { amount_cents: 250_000 }),
  failed('pi_soft', T0, 'insufficient_funds'),
  failed('pi_stolen', T0, 'lost_or_stolen_card'),
  succeeded('pi_tester', T0, { customer_id: 'cus_tester', amount_cents: 100 }),
  failed('pi_again', T0, 'do_not_honor', { customer_id: 'cus_lapsed' }),
  failed('pi_anon', T0, 'try_again_later', { customer_id: null }),
  succeeded('pi_new', T0, { customer_id: 'cus_new', currency: 'EUR' }),
];

export interface FilledStore {
  readonly databaseUrl: string;
  /** A connection the test may read through; closed after the test. */
  readonly store: PaymentStore;
}

/** Saves the pasts into the store at `databaseUrl` (created if need be), closed after the test. */
export async function fillStoreAt(t: TestContext, databaseUrl: string): Promise<FilledStore> {
  const store = await createStore(databaseUrl);
  t.after(() => store.close());
  await Promise.all(PAST.map((event) => store.saveEvent(enriched(event))));
  return { databaseUrl, store };
}

/** A fresh store file holding the pasts, removed after the test. */
export async function filledStore(t: TestContext): Promise<FilledStore> {
  const dir = await mkdtemp(join(tmpdir(), 'paypipe-inference-service-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return fillStoreAt(t, `sqlite:${join(dir, 'paypipe.db')}`);
}
