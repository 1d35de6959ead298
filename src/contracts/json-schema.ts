/** JSON Schemas of the contracts, as printed by `paypipe schema` and committed under docs/schema/. */
import { z } from 'zod';
import { DeadLetter } from './dead-letter.ts';
import { EnrichedPaymentEvent, UnifiedPaymentEvent } from './payment-event.ts';
import { RawRecordWire } from './raw-record.ts';

const CONTRACTS = {
  'unified-payment-event': UnifiedPaymentEvent,
  'enriched-payment-event': EnrichedPaymentEvent,
  'raw-record': RawRecordWire,
  'dead-letter': DeadLetter,
} as const;

export type ContractName = keyof typeof CONTRACTS;

export function contractJsonSchemas(): Record<ContractName, object> {
  const entries = Object.entries(CONTRACTS).map(([name, schema]) => [
    name,
    { $id: `https://paypipe.dev/schema/${name}.json`, ...z.toJSONSchema(schema, { target: 'draft-2020-12' }) },
  ]);
  return Object.fromEntries(entries) as Record<ContractName, object>;
}
