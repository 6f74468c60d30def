// The reference targets the report holds each agent's KPIs against: what a well-tuned agent reaches (the practice
// tokenledger is built for). $ per successful task has no general target: it is the budget given, if any.
export type KpiId = 'usd_per_successful_task' | 'cache_hit_rate' | 'token_efficiency' | 'step_inflation';

export interface KpiTarget {
  id: KpiId;
  label: string;
  /** `above`: higher is better; `below`: lower is better. */
  better: 'above' | 'below';
  target: number | undefined;
  /** What the KPI is, for the tile's tooltip. */
  meaning: string;
}

export function kpiTargets(maxUsdPerTask: number | undefined): KpiTarget[] {
  return [
    {
      id: 'usd_per_successful_task',
      label: '$ per successful task',
      better: 'below',
      target: maxUsdPerTask,
      meaning: 'the spend of all tasks over the successful ones',
    },
    { id: 'cache_hit_rate', label: 'cache hit rate', better: 'above', target: 0.75, meaning: 'cache-read input tokens over all input tokens' },
    {
      id: 'token_efficiency',
      label: 'token efficiency',
      better: 'above',
      target: 0.18,
      meaning: 'useful output over all input and output, the mean over tasks',
    },
    {
      id: 'step_inflation',
      label: 'step inflation',
      better: 'below',
      target: 1.4,
      meaning: 'steps over ideal steps, the mean over tasks that have ideal steps',
    },
  ];
}

export function meetsTarget(kpi: KpiTarget, value: number | undefined): boolean | undefined {
  if (value === undefined || kpi.target === undefined) return undefined;
  return kpi.better === 'above' ? value >= kpi.target : value <= kpi.target;
}
