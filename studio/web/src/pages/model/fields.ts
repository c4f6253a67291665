// The field builder's model: a field as the form edits it (numbers and
// value lists as typed text), its conversion to the API's FieldInput, and
// the safe field operations (add / change / remove) that turn the edited
// list into a changeContentType call. Pure functions: the Vitest tests
// exercise them without a server.
import type { ContentTypeChangesInput, ContentTypeQuery, FieldInput, FieldKind, RecommendInput } from '../../gql/graphql';

// Every field kind of the schema: a Record, so a kind added to
// graph/model.graphqls is a type error here until the builder knows it.
const kindSet: Record<FieldKind, true> = {
  TEXT: true, RICH_TEXT: true, NUMBER: true, BOOLEAN: true, DATE_TIME: true,
  ENUM: true, REFERENCE: true, ASSET: true, BLOCKS: true, JSON: true,
};
export const fieldKinds = Object.keys(kindSet) as FieldKind[];

export type FieldDraft = {
  key: string;
  name: string;
  description: string;
  kind: FieldKind;
  required: boolean;
  localized: boolean;
  unique: boolean;
  list: boolean;
  min: string;
  max: string;
  pattern: string;
  values: string;
  allowedTypes: string[];
  // Where a reference list's entries come from instead of the editor's
  // list (recommend.graphqls); null: the editor's list only. Kept as read
  // and sent back whole: changeFields replaces a field's definition, so a
  // setting the form did not carry would be dropped by an unrelated edit.
  recommend: RecommendDraft | null;
  // Not yet in the saved type: only new fields may be renamed (a key is
  // where content lives) or reordered.
  isNew: boolean;
};

// A recommendation source as the form edits it (limit as typed text,
// types and tags as lists).
export type RecommendDraft = {
  source: string; by: string; window: string; limit: string;
  types: string[]; tags: string; excludePurchased: boolean;
};
export const recommendSources = ['popular', 'alsoViewed', 'recentlyViewed'];
export const recommendBy = ['device', 'channel', 'segment'];

export function newRecommend(): RecommendDraft {
  return { source: 'popular', by: '', window: '', limit: '', types: [], tags: '', excludePurchased: false };
}

// Which settings make sense for a kind: the form shows only those.
export function settingsFor(kind: FieldKind, list: boolean) {
  return {
    minMax: kind === 'TEXT' || kind === 'NUMBER' || kind === 'RICH_TEXT' || list || kind === 'BLOCKS',
    pattern: kind === 'TEXT',
    values: kind === 'ENUM',
    allowedTypes: kind === 'REFERENCE' || kind === 'BLOCKS',
    unique: kind === 'TEXT' || kind === 'NUMBER' || kind === 'ENUM',
    recommend: kind === 'REFERENCE' && list,
    list: kind !== 'BLOCKS' && kind !== 'RICH_TEXT' && kind !== 'JSON',
  };
}

export function newField(n: number): FieldDraft {
  return {
    key: `field${n}`, name: '', description: '', kind: 'TEXT', required: false, localized: false,
    unique: false, list: false, min: '', max: '', pattern: '', values: '', allowedTypes: [], recommend: null, isNew: true,
  };
}

// A field as the ContentType query answers it; other pages' queries (the
// entry editor's) do not ask for recommend.
type QueriedDef = NonNullable<ContentTypeQuery['contentType']>['fields'][number];
export type Def = Omit<QueriedDef, 'recommend'> & { recommend?: QueriedDef['recommend'] };

export function fromDef(d: Def): FieldDraft {
  return {
    key: d.key, name: d.name ?? '', description: d.description ?? '', kind: d.kind,
    required: d.required, localized: d.localized, unique: d.unique, list: d.list,
    min: d.min == null ? '' : String(d.min), max: d.max == null ? '' : String(d.max),
    pattern: d.pattern ?? '', values: (d.values ?? []).join(', '), allowedTypes: d.allowedTypes ?? [],
    recommend: d.recommend ? {
      source: d.recommend.source, by: d.recommend.by ?? '', window: d.recommend.window ?? '',
      limit: d.recommend.limit == null ? '' : String(d.recommend.limit), types: d.recommend.types ?? [],
      tags: (d.recommend.tags ?? []).join(', '), excludePurchased: d.recommend.excludePurchased,
    } : null,
    isNew: false,
  };
}

export function recommendInput(r: RecommendDraft): RecommendInput {
  const out: RecommendInput = { source: r.source };
  // Audience and window are popular's (the form hides them for the others).
  if (r.source === 'popular' && r.by) out.by = r.by;
  if (r.source === 'popular' && r.window.trim()) out.window = r.window.trim();
  if (r.limit.trim() !== '') out.limit = Number(r.limit);
  if (r.types.length) out.types = r.types;
  const tags = r.tags.split(',').map((v) => v.trim()).filter(Boolean);
  if (tags.length) out.tags = tags;
  if (r.excludePurchased) out.excludePurchased = true;
  return out;
}

// toInput keeps only what applies to the kind, so switching a field from
// ENUM to TEXT does not send stale values.
export function toInput(f: FieldDraft): FieldInput {
  const s = settingsFor(f.kind, f.list);
  const input: FieldInput = { key: f.key.trim(), kind: f.kind, required: f.required, localized: f.localized };
  if (f.name.trim()) input.name = f.name.trim();
  if (f.description.trim()) input.description = f.description.trim();
  if (s.unique && f.unique) input.unique = true;
  if (s.list && f.list) input.list = true;
  if (s.minMax && f.min.trim() !== '') input.min = Number(f.min);
  if (s.minMax && f.max.trim() !== '') input.max = Number(f.max);
  if (s.pattern && f.pattern.trim()) input.pattern = f.pattern.trim();
  if (s.values) input.values = f.values.split(',').map((v) => v.trim()).filter(Boolean);
  if (s.allowedTypes && f.allowedTypes.length) input.allowedTypes = f.allowedTypes;
  // Only on a reference list (the server refuses it elsewhere): turning the
  // field into something else is an edit that drops it knowingly.
  if (s.recommend && f.recommend) input.recommend = recommendInput(f.recommend);
  return input;
}

function same(a: FieldInput, b: FieldInput): boolean {
  const norm = (x: FieldInput) => JSON.stringify(Object.entries({ required: false, localized: false, unique: false, list: false, ...x })
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && !v.length)).sort(([p], [q]) => p.localeCompare(q)));
  return norm(a) === norm(b);
}

// changesBetween is the field operations that take the saved type to the
// edited one: new keys are added (in order), edited ones changed in place,
// missing ones removed. Null when nothing differs.
export function changesBetween(
  saved: { name: string; description: string; fields: Def[] },
  edited: { name: string; description: string; fields: FieldDraft[] },
): ContentTypeChangesInput | null {
  const before = new Map(saved.fields.map((f) => [f.key, toInput(fromDef(f))]));
  const changes: ContentTypeChangesInput = {};
  if (edited.name.trim() !== saved.name) changes.name = edited.name.trim();
  if (edited.description.trim() !== saved.description) changes.description = edited.description.trim();
  const add: FieldInput[] = [];
  const change: FieldInput[] = [];
  const kept = new Set<string>();
  for (const f of edited.fields) {
    const input = toInput(f);
    const old = before.get(input.key);
    if (!old || f.isNew) { add.push(input); continue; }
    kept.add(input.key);
    if (!same(old, input)) change.push(input);
  }
  const remove = saved.fields.map((f) => f.key).filter((k) => !kept.has(k));
  if (add.length) changes.addFields = add;
  if (change.length) changes.changeFields = change;
  if (remove.length) changes.removeFields = remove;
  return Object.keys(changes).length ? changes : null;
}

// problems are what the form can tell before asking the server: empty or
// repeated keys. The server checks the rest and answers with paths.
export function problems(fields: FieldDraft[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const key = f.key.trim();
    if (!key) out.push(`field ${i + 1}: the key is empty`);
    else if (seen.has(key)) out.push(`field ${i + 1}: the key ${key} is used twice`);
    seen.add(key);
    if (f.kind === 'ENUM' && !toInput(f).values?.length) out.push(`${key}: an enum needs allowed values`);
  });
  return out;
}

type ErrLike = { graphQLErrors?: { extensions?: Record<string, unknown> }[] } | null | undefined;

// recommendErrors picks the server's messages about field key's
// recommendation source, as {source, window, …}: createContentType names
// the field by its place (fields.N.recommend.window), changeContentType by
// its place in the change sent (changeFields.N / addFields.N).
export function recommendErrors(err: ErrLike, key: string, index: number, changes: ContentTypeChangesInput | null | undefined): Record<string, string> {
  const prefixes = [`fields.${index}.recommend`];
  const c = changes?.changeFields?.findIndex((f) => f.key === key) ?? -1;
  if (c >= 0) prefixes.push(`changeFields.${c}.recommend`);
  const a = changes?.addFields?.findIndex((f) => f.key === key) ?? -1;
  if (a >= 0) prefixes.push(`addFields.${a}.recommend`);
  const out: Record<string, string> = {};
  for (const e of err?.graphQLErrors ?? []) {
    for (const f of (e.extensions?.fields ?? []) as { path: string; message: string }[]) {
      const p = prefixes.find((x) => f.path === x || f.path.startsWith(`${x}.`));
      if (!p) continue;
      // fields.N.recommend itself (not a reference list) goes beside the source.
      const k = f.path === p ? 'source' : f.path.slice(p.length + 1).split('.')[0];
      out[k] = out[k] ? `${out[k]}; ${f.message}` : f.message;
    }
  }
  return out;
}
