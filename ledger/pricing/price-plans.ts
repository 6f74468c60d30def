// What prices the calls of one description in one hour: the price entry their models match and the batch or
// service-tier multiplier. Working it out takes the model-name variants, a catalog match per name (tens of
// microseconds) and a walk over the modifiers; an app calls a few models over and over, so each (provider, models,
// tier, batch, hour) is worked out once and every later call of it is a comparison (the same description as the last
// call) or one map lookup. This is the one cache of the call path: the catalog keeps none of its own. The hour keeps
// date- and time-of-day-dependent prices right; the cap bounds the memory (at the cap the plans start over).
import type { PriceCatalog, PriceEntry } from './price-catalog.ts';
import { activePriceData } from './price-data.ts';
import { multiplierFor, type PriceModifier } from './modifiers.ts';
import { modelsToPrice } from './model-names.ts';

/** What a plan depends on of a call (call-pricer.ts's CallDescription). */
export interface PlannedCall {
  provider: string;
  requestModel?: string;
  responseModel?: string;
  serviceTier?: string;
  batch: boolean;
  startTime: Date;
}

export interface PricePlan {
  /** Undefined when no price data knows the call's models. */
  entry: PriceEntry | undefined;
  multiplier: number;
}

interface LastPlan {
  provider: string;
  requestModel: string | undefined;
  responseModel: string | undefined;
  serviceTier: string | undefined;
  batch: boolean;
  hour: number;
  generation: number;
  plan: PricePlan;
}

const MAX_PLANS = 4096;
const HOUR_MS = 3_600_000;

export class PricePlans {
  private readonly catalog: PriceCatalog;
  private readonly modifiers: PriceModifier[];
  private readonly plans = new Map<string, PricePlan>();
  private last: LastPlan | undefined;

  constructor(catalog: PriceCatalog, modifiers: PriceModifier[]) {
    this.catalog = catalog;
    this.modifiers = modifiers;
  }

  /** The plan for a call; the hour keeps date- and time-of-day-dependent prices right, the generation a price refresh. */
  planFor(call: PlannedCall): PricePlan {
    const hour = Math.floor(call.startTime.getTime() / HOUR_MS);
    const { generation } = activePriceData();
    const last = this.last;
    if (
      last !== undefined &&
      last.hour === hour &&
      last.generation === generation &&
      last.provider === call.provider &&
      last.requestModel === call.requestModel &&
      last.responseModel === call.responseModel &&
      last.serviceTier === call.serviceTier &&
      last.batch === call.batch
    ) {
      return last.plan;
    }
    const key = `${call.provider}\u0000${call.requestModel ?? ''}\u0000${call.responseModel ?? ''}\u0000${call.serviceTier ?? ''}\u0000${call.batch}\u0000${hour}\u0000${generation}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      plan = this.workOut(call);
      if (this.plans.size >= MAX_PLANS) this.plans.clear();
      this.plans.set(key, plan);
    }
    this.last = {
      provider: call.provider,
      requestModel: call.requestModel,
      responseModel: call.responseModel,
      serviceTier: call.serviceTier,
      batch: call.batch,
      hour,
      generation,
      plan,
    };
    return plan;
  }

  private workOut(call: PlannedCall): PricePlan {
    let entry: PriceEntry | undefined;
    for (const name of modelsToPrice(call.provider, call.requestModel, call.responseModel)) {
      entry = this.catalog.find(call.provider, name, call.startTime);
      if (entry) break;
    }
    if (!entry) return { entry, multiplier: 1 };
    const multiplier = multiplierFor({ provider: entry.providerId, model: entry.modelId, serviceTier: call.serviceTier, batch: call.batch }, this.modifiers);
    return { entry, multiplier };
  }
}
