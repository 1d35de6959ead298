/** What a provider renderer is: world steps in, that provider's real webhook payloads out. */
import type { EventType, FailureCode, ProviderName } from '../../contracts/vocabulary.ts';
import type { TimedStep } from '../world/model.ts';

export interface RenderedEvent {
  /** The provider's own name of the event, as in its fixtures (`charge.succeeded`, `AUTHORISATION`…). */
  readonly name: string;
  /** The payload as `Provider.sign` takes it. */
  readonly payload: string;
  /** The unified event types normalizing it must give. */
  readonly expect: readonly EventType[];
  /** The amount those events must carry, in the currency's minor unit. */
  readonly amount: number;
  /** The failure code they must carry (declines only). */
  readonly failureCode: FailureCode | null;
}

export interface Renderer {
  readonly provider: ProviderName;
  /** The unified decline reasons this renderer can express in the provider's own codes. */
  readonly declines: readonly FailureCode[];
  /** The webhooks the provider sends for this step, in the order it sends them; `time` is when it happened. */
  render(step: TimedStep, time: Date): readonly RenderedEvent[];
}
