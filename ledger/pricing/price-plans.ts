// What prices the calls of one description in one hour: the price entry their models match and the batch or
// service-tier multiplier. Working it out takes the model-name variants, a catalog lookup per name (each name is
// matched once an hour, the catalog's cache) and a walk over the modifiers. An agent calls one model many times in a
// row, so the last plan is kept: a call with the description and hour of the one before is priced by a comparison.
import { HOUR_MS, type PriceCatalog, type PriceEntry } from './price-catalog.ts';
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

export class PricePlans {
  private readonly catalog: PriceCatalog;
  private readonly modifiers: PriceModifier[];
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
    const plan = this.workOut(call);
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
