/**
 * Authorizations released under API versions before 2025-03-31.basil. Until basil, cancelling an uncaptured
 * payment (by hand or by its expiry) and capturing part of one created a Refund of the money released: the
 * Charge's `amount_refunded` grew by it and `charge.refunded` and `charge.refund.updated` were sent, though
 * no money went back to the cardholder. Endpoints pinned to those versions still get these events.
 */
import { isObject, type JsonObject } from '../payload.ts';

/** The first version whose releases create no Refund. */
const BASIL = '2025-03-31';

/**
 * Whether the event's API version reports releases as refunds. A version that is not a date (absent on very
 * old events) is not assumed old: amounts are then taken as sent.
 */
function releasesAsRefunds(apiVersion: unknown): boolean {
  return typeof apiVersion === 'string' && /^\d{4}-\d{2}-\d{2}/.test(apiVersion) && apiVersion.slice(0, 10) < BASIL;
}

const count = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * What `charge.refunded` reports. An uncaptured charge cannot be refunded, so in every version a refunded one
 * was released: its cancellation. After a partial capture, a version before basil counts the uncaptured
 * remainder in `amount_refunded`; it is taken out, and when nothing else is left the event is the partial
 * capture's own release, which `charge.captured` already reports. An `amount_refunded` below the remainder
 * cannot include it (Stripe's preview header for basil's behaviour on an older version): taken as sent.
 */
export type ChargeRefunded =
  | { readonly kind: 'canceled' }
  | { readonly kind: 'refunded'; readonly released: number }
  | { readonly kind: 'release' };

export function readChargeRefunded(event: JsonObject, charge: JsonObject): ChargeRefunded {
  if (charge.captured === false) return { kind: 'canceled' };
  const { amount, amount_captured: captured, amount_refunded: refunded } = charge;
  if (!releasesAsRefunds(event.api_version) || !count(amount) || !count(captured) || !count(refunded)) {
    return { kind: 'refunded', released: 0 };
  }
  const released = Math.max(amount - captured, 0);
  if (released === 0 || refunded < released) return { kind: 'refunded', released: 0 };
  return refunded === released ? { kind: 'release' } : { kind: 'refunded', released };
}

/**
 * A Refund Stripe created for an authorization that expired uncaptured (reason `expired_uncaptured_charge`):
 * no money went back, and `charge.expired` reports the expiry. Stripe sets no reason that tells the Refund of a
 * manual cancellation or a partial capture from a real refund (see README).
 */
export function isExpiryRelease(refund: unknown): boolean {
  return isObject(refund) && refund.reason === 'expired_uncaptured_charge';
}
