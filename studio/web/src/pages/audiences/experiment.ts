// The experiment editor's input: pure, so Vitest covers what it keeps.
import type { ExperimentInput } from '../../gql/graphql';
import { capOut } from '../variants/cap';

export type ExperimentInitial = {
  key: string; name: string; holdout: number; version: number; arms: { key: string; weight: number }[];
  primaryMetric?: string | null; guardrailMetrics?: string[]; plannedSampleSize?: number | null;
  cap?: { max: number; per: string; timeZone?: string | null; perChannel: boolean } | null;
};

// experimentInput is the create/update input. updateExperiment replaces
// the whole experiment, so what this editor does not show (the metrics,
// the planned sample size, the cap) is sent back as it was read.
export function experimentInput(form: { key: string; name: string; holdout: number; arms: { key: string; weight: number }[] }, initial?: ExperimentInitial): ExperimentInput {
  const input: ExperimentInput = { key: form.key, name: form.name, holdout: form.holdout, arms: form.arms.map((a) => ({ key: a.key, weight: a.weight })) };
  if (initial) {
    input.primaryMetric = initial.primaryMetric ?? null;
    input.guardrailMetrics = initial.guardrailMetrics ?? [];
    input.plannedSampleSize = initial.plannedSampleSize ?? null;
    input.cap = capOut(initial.cap);
  }
  return input;
}

