/**
 * World steps as Square webhooks, built with the Square fixture builders. A card payment is
 * `payment.created` (APPROVED) then `payment.updated` (COMPLETED, CANCELED or FAILED); a refund is
 * `refund.created` (PENDING) then `refund.updated` (COMPLETED); a dispute is `dispute.created`
 * (EVIDENCE_REQUIRED) then `dispute.state.changed` (WON or LOST). Square's `Card` has no issuing country (its
 * `bin` would need a BIN table), so Square payments carry no card country.
 */
import type { FailureCode } from '../../contracts/vocabulary.ts';
import { dispute, type PaymentSpec, payment, refund } from '../../providers/square/fixture-builders.ts';
import type { SquareDispute, SquareEvent, SquarePayment, SquareRefund } from '../../providers/square/types.ts';
import { token, uuidToken } from '../ids.ts';
import type { TimedStep } from '../world/model.ts';
import type { RenderedEvent, Renderer } from './renderer.ts';

/** Square's `ErrorCode` for each unified reason it has one for. */
const DECLINES = {
  insufficient_funds: 'INSUFFICIENT_FUNDS',
  do_not_honor: 'GENERIC_DECLINE',
  expired_card: 'CARD_EXPIRED',
  incorrect_cvc: 'CVV_FAILURE',
  try_again_later: 'TEMPORARY_ERROR',
  authentication_required: 'CARD_DECLINED_VERIFICATION_REQUIRED',
  limit_exceeded: 'TRANSACTION_LIMIT',
  card_not_supported: 'CARD_NOT_SUPPORTED',
} as const satisfies Partial<Record<FailureCode, string>>;

type SquareObject = SquarePayment | SquareRefund | SquareDispute;

/** `payment`, `refund` or `dispute`: the event type's first part, and the key its object is sent under. */
function objectKind(type: string): 'payment' | 'refund' | 'dispute' {
  if (type.startsWith('refund.')) return 'refund';
  return type.startsWith('dispute.') ? 'dispute' : 'payment';
}

/** The envelope as Square sends it: compact JSON, the object under `data.object.payment`, `.refund` or `.dispute`. */
function envelope(merchantId: string, type: string, eventId: string, at: string, object: SquareObject) {
  const kind = objectKind(type);
  const event: SquareEvent = {
    merchant_id: merchantId,
    type,
    event_id: eventId,
    created_at: at,
    data: { type: kind, id: object.id, object: { [kind]: object } },
  };
  return JSON.stringify(event);
}

export function createSquareRenderer(seed: number): Renderer {
  function render(timed: TimedStep, time: Date): readonly RenderedEvent[] {
    const { payment: world, step } = timed;
    const at = time.toISOString();
    const merchantId = `ML${token(seed, [world.merchant.id], 11, 'upper')}`;
    const spec: PaymentSpec = {
      id: `${token(seed, [world.ref, 'payment'], 27, 'base62')}ZY`,
      status: 'APPROVED',
      money: { amount: world.amount, currency: world.currency },
      at,
      customerId: token(seed, [world.customer.id], 26, 'upper'),
      orderId: `${token(seed, [world.ref, 'order'], 27, 'base62')}ZY`,
    };
    const failureCode = step.kind === 'failed' ? step.decline : null;
    const out = (
      name: string,
      n: number,
      object: SquareObject,
      expect: RenderedEvent['expect'],
      amount = world.amount,
    ) => ({
      name,
      payload: envelope(
        merchantId,
        name.split(':')[0] as string,
        uuidToken(seed, [world.ref, timed.index, n]),
        at,
        object,
      ),
      expect,
      amount,
      failureCode,
    });
    const approved = payment({ ...spec, cardStatus: 'AUTHORIZED' });
    const completed = payment({ ...spec, status: 'COMPLETED', updatedAt: at });
    switch (step.kind) {
      case 'succeeded':
        return [
          out('payment.created:APPROVED', 0, approved, ['payment.authorized']),
          out('payment.updated:COMPLETED', 1, completed, ['payment.succeeded']),
        ];
      case 'authorized':
        return [out('payment.created:APPROVED', 0, approved, ['payment.authorized'])];
      case 'captured':
        return [out('payment.updated:COMPLETED', 0, completed, ['payment.succeeded'])];
      case 'canceled':
        return [
          out('payment.updated:CANCELED', 0, payment({ ...spec, status: 'CANCELED', cardStatus: 'VOIDED' }), [
            'payment.canceled',
          ]),
        ];
      case 'failed': {
        const code = DECLINES[step.decline as keyof typeof DECLINES] ?? DECLINES.do_not_honor;
        const errors = [{ category: 'PAYMENT_METHOD_ERROR', code, detail: `Authorization error: '${code}'` }];
        const failed = payment({ ...spec, status: 'FAILED', cardStatus: 'FAILED', errors });
        return [out(`payment.updated:FAILED:${code}`, 0, failed, ['payment.failed'])];
      }
      case 'refunded': {
        const base = {
          paymentId: spec.id,
          suffix: token(seed, [world.ref, 'refund', step.number], 29, 'base62'),
          money: { amount: step.amount, currency: world.currency },
          at,
          reason: 'Requested by customer',
        };
        return [
          out('refund.created:PENDING', 0, refund({ ...base, status: 'PENDING' }), ['refund.created'], step.amount),
          out(
            'refund.updated:COMPLETED',
            1,
            refund({ ...base, status: 'COMPLETED' }),
            ['refund.succeeded'],
            step.amount,
          ),
        ];
      }
      case 'dispute_opened':
      case 'dispute_won':
      case 'dispute_lost': {
        const won = step.kind === 'dispute_won';
        const state = step.kind === 'dispute_opened' ? 'EVIDENCE_REQUIRED' : won ? 'WON' : 'LOST';
        const type = step.kind === 'dispute_opened' ? 'dispute.created' : 'dispute.state.changed';
        const disputed = dispute({
          id: token(seed, [world.ref, 'dispute'], 20, 'base62'),
          paymentId: spec.id,
          state,
          money: spec.money,
          // The world's disputes follow fraud reports: the cardholder does not recognize the payment.
          reason: 'NO_KNOWLEDGE',
          at,
          version: step.kind === 'dispute_opened' ? 1 : 2,
        });
        const outcome = step.kind === 'dispute_opened' ? 'dispute.opened' : won ? 'dispute.won' : 'dispute.lost';
        return [out(`${type}:${state}`, 0, disputed, [outcome])];
      }
    }
  }

  return { provider: 'square', declines: Object.keys(DECLINES) as FailureCode[], render };
}
