// The experiment editor's input: pure, so Vitest covers what it keeps.
import type { ExperimentInput } from '../../gql/graphql';
import { capInput, capOut, type CapDraft } from '../variants/cap';

export type ExperimentInitial = {
  key: string; name: string; holdout: number; version: number; arms: { key: string; weight: number }[];
  primaryMetric?: string | null; guardrailMetrics?: string[]; plannedSampleSize?: number | null;
  cap?: { max: number; per: string; timeZone?: string | null; perChannel: boolean } | null;
};

// experimentInput is the create/update input. updateExperiment replaces
// the whole experiment, so what this editor does not show (the metrics,
// the planned sample size, the cap) is sent back as it was read.
// The editor may also edit them (extra): a field it sets wins over the
// one read.
export type ExperimentExtra = { primaryMetric?: string | null; guardrailMetrics?: string[]; plannedSampleSize?: number | null; cap?: CapDraft | null };

export function experimentInput(form: { key: string; name: string; holdout: number; arms: { key: string; weight: number }[] }, initial?: ExperimentInitial, extra: ExperimentExtra = {}): ExperimentInput {
  const input: ExperimentInput = { key: form.key, name: form.name, holdout: form.holdout, arms: form.arms.map((a) => ({ key: a.key, weight: a.weight })) };
  const primary = extra.primaryMetric !== undefined ? extra.primaryMetric : initial?.primaryMetric;
  const guardrails = extra.guardrailMetrics ?? initial?.guardrailMetrics;
  const planned = extra.plannedSampleSize !== undefined ? extra.plannedSampleSize : initial?.plannedSampleSize;
  const cap = extra.cap !== undefined ? (extra.cap ? capInput(extra.cap) : null) : capOut(initial?.cap);
  if (initial || primary) input.primaryMetric = primary ?? null;
  if (initial || guardrails?.length) input.guardrailMetrics = guardrails ?? [];
  if (initial || planned) input.plannedSampleSize = planned ?? null;
  if (initial || cap) input.cap = cap;
  return input;
}

