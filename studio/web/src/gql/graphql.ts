/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/**
 * DELIVERY reads published content at the server's clock; PREVIEW may also set
 * context.at and context.preview. EVENTS_WRITE reads as DELIVERY does and may
 * also report client events (POST /collect). None can manage anything.
 */
export type ApiKeyScope =
  | 'DELIVERY'
  | 'EVENTS_WRITE'
  | 'PREVIEW';

export type AltTextInput = {
  locale: string;
  /** Empty removes the locale's text. */
  text: string;
};

export type ArmInput = {
  key: string;
  weight: number;
};

/** Asset metadata; on updateAsset, absent fields stay as they are. */
export type AssetInput = {
  /** @deprecated Use altTexts, the name Asset answers with; Asset.alt(locale) is one text. */
  alt?: Array<AltTextInput> | null | undefined;
  /** Alt texts by locale: the shape Asset.altTexts answers with. */
  altTexts?: Array<AltTextInput> | null | undefined;
  clearFocalPoint?: boolean | null | undefined;
  /** A plain file name (no directories); its extension must match the content. */
  filename?: string | null | undefined;
  focalPoint?: FocalPointInput | null | undefined;
  tags?: Array<string> | null | undefined;
};

export type AuditFilter = {
  /** The operation, e.g. publishEntry, createAPIKey, login. */
  action?: string | null | undefined;
  actor?: string | null | undefined;
  entityId?: string | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
};

export type BlockChangeKind =
  | 'ADDED'
  | 'CHANGED'
  | 'REMOVED';

export type CampaignStatus =
  | 'DRAFT'
  | 'ENDED'
  | 'LIVE'
  | 'SCHEDULED'
  | 'STOPPED';

/**
 * A frequency cap: at most max exposures (1..1000) per period, counted on the
 * person across every channel, or on each channel with perChannel. per is DAY,
 * WEEK (from Monday), MONTH, CAMPAIGN (from the campaign's start; a campaign's
 * variants and campaigns only), LIFETIME, or a rolling duration such as "168h"
 * or "90m". Calendar periods start at midnight in timeZone (IANA; default
 * UTC), daylight-saving changes included. max 0, an unknown zone or a duration
 * that does not parse are BAD_USER_INPUT with the path. Visitors without a
 * visitorId or without measurement consent cannot be counted and are not shown
 * a capped target.
 */
export type CapInput = {
  max: number;
  per: string;
  perChannel?: boolean | null | undefined;
  timeZone?: string | null | undefined;
};

/** Field operations on a content type; each field key may be named by one operation only. */
export type ContentTypeChangesInput = {
  /** Fields to append, in order; their keys must be new. */
  addFields?: Array<FieldInput> | null | undefined;
  /** Fields to redefine by key: each replaces that field's whole definition, in place. */
  changeFields?: Array<FieldInput> | null | undefined;
  /** The new description; null leaves it. */
  description?: string | null | undefined;
  /** The new name; null leaves it. */
  name?: string | null | undefined;
  /** Keys of fields to remove. */
  removeFields?: Array<string> | null | undefined;
};

export type ContentTypeInput = {
  description?: string | null | undefined;
  fields: Array<FieldInput>;
  key: string;
  kind?: TypeKind | null | undefined;
  name: string;
};

export type CreateApiKeyInput = {
  /** Registered channels (MOSAIC_CHANNELS) the key is limited to; omit for all. */
  channels?: Array<string> | null | undefined;
  /** When the key stops working; omit for never. */
  expiresAt?: string | null | undefined;
  name: string;
  scope: ApiKeyScope;
};

export type CreateCampaignInput = {
  /** Counts every variant of the campaign, all blocks together (one per delivered entry). */
  cap?: CapInput | null | undefined;
  /** Default: every channel. */
  channels?: Array<string> | null | undefined;
  /** What the campaign cost (media, production): campaignReport divides it by conversions. */
  cost?: MoneyInput | null | undefined;
  description?: string | null | undefined;
  /**
   * Share (0 to 0.5) of the people a variant of the campaign would win for
   * who keep seeing the default instead while it is live: the control group
   * its lift is measured against. Bucketed per person like an experiment
   * arm (stable across devices once they sign in). Default 0: no holdout.
   */
  holdout?: number | null | undefined;
  key: string;
  name: string;
  priority?: number | null | undefined;
  /** Default UTC. */
  timeZone?: string | null | undefined;
};

export type CreateEntryInput = {
  fields: any;
  /** Set to add a locale to an existing entry. */
  id?: string | number | null | undefined;
  locale?: string | null | undefined;
  slug: string;
  type: string;
};

export type CreateUserInput = {
  email: string;
  /** At least 10 characters. */
  password: string;
  role: Role;
};

/** An editors' draft list's order; ties are broken by entry id. */
export type DraftSort = {
  direction?: SortDirection | null | undefined;
  field: DraftSortField;
};

/** TITLE is the entry's title field ("" when the type has none). */
export type DraftSortField =
  | 'SLUG'
  | 'TITLE'
  | 'UPDATED_AT';

export type EntryStatus =
  | 'CHANGED'
  | 'DRAFT'
  | 'PUBLISHED';

/**
 * Who is asking, on what, where: the personalization resolver decides per block
 * from it. Segments are computed once per request and context.
 */
export type ExperienceContext = {
  /** Evaluate at this instant (preview and editor tokens only; others get FORBIDDEN). */
  at?: string | null | undefined;
  /** A registered channel (MOSAIC_CHANNELS; unknown is BAD_USER_INPUT). */
  channel?: string | null | undefined;
  /**
   * Shorthand for purposes: true grants every purpose, false none. Give one of
   * consent, purposes and tcf; none of them grants every purpose (the client
   * decides what it sends and has asked for consent when it must). A request
   * with the Sec-GPC: 1 header withdraws measurement and personalization.
   */
  consent?: boolean | null | undefined;
  /**
   * A registered device (MOSAIC_DEVICES; unknown is BAD_USER_INPUT). When absent on
   * a web request (channel web or absent) it is derived from the User-Agent header.
   */
  device?: string | null | undefined;
  locale?: string | null | undefined;
  /** Show drafts (preview and editor tokens only; others get FORBIDDEN). */
  preview?: boolean | null | undefined;
  /**
   * A made-up behaviour history that segment rules read instead of the visitor's
   * (events, profile): editors test behavioural segments with it in
   * explainDecision and the preview (preview and editor tokens only; others get
   * FORBIDDEN). An answer with it is never cached, shared or recorded.
   */
  profile?: SimulatedProfile | null | undefined;
  /**
   * The purposes the visitor granted: personalization (segments and traits may
   * choose variants; without it only device, channel, locale and campaign
   * targeting apply), measurement (decision records name the visitor and
   * experiments bucket on visitorId; without it they bucket on a key that lasts
   * the day and are counted in aggregate only), storage (the client may keep
   * identifiers; Mosaic stores nothing on devices). An unknown purpose is
   * BAD_USER_INPUT. The decision's reason names a purpose that limited it.
   */
  purposes?: Array<string> | null | undefined;
  /** Explicit segments (from the client or a CDP); rule segments are added to them. */
  segments?: Array<string> | null | undefined;
  /**
   * A TCF v2 (2.2) consent string: TCF purpose 1 grants storage, 5 and 6
   * personalization, 8 measurement. One that does not decode is BAD_USER_INPUT.
   */
  tcf?: string | null | undefined;
  /** Visitor attributes that segment rules read as traits. */
  traits?: any;
  /** Stable, opaque visitor id: sticky experiment arms. Without it no experiment buckets. */
  visitorId?: string | null | undefined;
};

/** What experimentResults can be broken down by. */
export type ExperimentBreakdown =
  /** The channel of the unit's first exposure (web, app, …). */
  | 'CHANNEL'
  /** The device of the unit's first exposure (mobile, desktop, …). */
  | 'DEVICE'
  /** The locale of the unit's first exposure. */
  | 'LOCALE'
  /** Refused (BAD_USER_INPUT): see experimentResults. */
  | 'SEGMENT';

export type ExperimentInput = {
  arms: Array<ArmInput>;
  /** A capped person is no longer exposed: they see what they would without the experiment. */
  cap?: CapInput | null | undefined;
  /**
   * createExperiment only: true creates a DRAFT (buckets nobody until
   * startExperiment); false, the default, creates it RUNNING, as experiments
   * were before they had a lifecycle. Ignored by updateExperiment.
   */
  draft?: boolean | null | undefined;
  /** Metric keys; unknown ones are BAD_USER_INPUT. */
  guardrailMetrics?: Array<string> | null | undefined;
  holdout?: number | null | undefined;
  key: string;
  name: string;
  /** Units over all arms, 1 or more (else BAD_USER_INPUT); null: not planned. */
  plannedSampleSize?: number | null | undefined;
  /** A metric key (metrics); an unknown one is BAD_USER_INPUT. Null: none. */
  primaryMetric?: string | null | undefined;
};

export type ExperimentStatus =
  | 'DRAFT'
  | 'RUNNING'
  | 'STOPPED';

export type FieldInput = {
  allowedTypes?: Array<string> | null | undefined;
  description?: string | null | undefined;
  key: string;
  kind: FieldKind;
  list?: boolean | null | undefined;
  localized?: boolean | null | undefined;
  max?: number | null | undefined;
  min?: number | null | undefined;
  name?: string | null | undefined;
  pattern?: string | null | undefined;
  /** Deliver recommended entries in this reference list field (list: true). */
  recommend?: RecommendInput | null | undefined;
  required?: boolean | null | undefined;
  unique?: boolean | null | undefined;
  values?: Array<string> | null | undefined;
};

export type FieldKind =
  | 'ASSET'
  | 'BLOCKS'
  | 'BOOLEAN'
  | 'DATE_TIME'
  | 'ENUM'
  | 'JSON'
  | 'NUMBER'
  | 'REFERENCE'
  | 'RICH_TEXT'
  | 'TEXT';

export type FocalPointInput = {
  x: number;
  y: number;
};

/** What KPIs and funnels can be broken down by: the visitor id's delivery context. */
export type KpiDimension =
  | 'CHANNEL'
  | 'DEVICE'
  | 'LOCALE';

export type MetricGoal =
  | 'DECREASE'
  | 'INCREASE';

/** What a metric counts per unit. */
export type MetricKind =
  /** Whether the unit sent the event at least once: a conversion rate. */
  | 'CONVERSION'
  /** How many such events per unit. */
  | 'COUNT'
  /** The sum of the events' values per unit: revenue per visitor. */
  | 'REVENUE';

export type MoneyInput = {
  /** 0 to 1e12. */
  amount: number;
  /** An ISO 4217 code, like EUR. */
  currency: string;
};

/**
 * Where a reference list's entries come from instead of the editor's list:
 * popular (most viewed in a window, by everyone or the visitor's device,
 * channel or segment), alsoViewed (what people who viewed the current entry
 * viewed too) or recentlyViewed (this person's last entries, on any device).
 */
export type RecommendInput = {
  /** popular's audience: device, channel or segment (none: everyone). */
  by?: string | null | undefined;
  /** Leave out what the visitor bought (track events named purchase). */
  excludePurchased?: boolean | null | undefined;
  /** How many entries (default: the field's max, else 4; at most 50). */
  limit?: number | null | undefined;
  /** popular, alsoViewed or recentlyViewed. */
  source: string;
  /** Only entries whose tags field holds one of these. */
  tags?: Array<string> | null | undefined;
  /** Only entries of these content types. */
  types?: Array<string> | null | undefined;
  /** popular's window, a duration: whole hours up to 24h, whole days up to 720h (default 168h). */
  window?: string | null | undefined;
};

export type Role =
  | 'ADMIN'
  | 'EDITOR'
  | 'PUBLISHER'
  | 'VIEWER';

/**
 * What the fleet view says of one kiosk or IoT display: ONLINE when it
 * reported within the offline threshold (MOSAIC_SCREEN_OFFLINE_AFTER) and
 * shows the first frame of the bundle the server would build for it now;
 * STALE when it reported in time but shows something else (or no bundle can
 * be built for it); OFFLINE when it has been quiet for longer.
 */
export type ScreenState =
  | 'OFFLINE'
  | 'ONLINE'
  | 'STALE';

export type SegmentInput = {
  key: string;
  name: string;
  /**
   * CEL over context (visitorId, segments, device, channel, locale) and traits,
   * e.g. traits.visits > 3 && context.device == "mobile". Null or empty: the
   * segment is explicit only.
   */
  rule?: string | null | undefined;
};

/**
 * One made-up event: events.count/sum/last read it by name. Give at, or ago: a
 * duration before the context's instant ("90m", "48h"; not one is BAD_USER_INPUT).
 */
export type SimulatedEvent = {
  ago?: string | null | undefined;
  at?: string | null | undefined;
  /** A track event's name or a conversion's goal (view events are named view). */
  name: string;
  /** Properties (events.last(name).properties). */
  properties?: any;
  /** A conversion's value (events.sum(name, "value", window)). */
  value?: number | null | undefined;
};

/**
 * One made-up past exposure: a block's variant (with its block: for a global
 * block, the global entry's id, which its variants' caps count on), and/or a
 * campaign or experiment, at an instant or ago before the decision's.
 */
export type SimulatedExposure = {
  /** A Go duration before the decision's instant, such as "90m" or "48h". */
  ago?: string | null | undefined;
  at?: string | null | undefined;
  block?: string | null | undefined;
  campaign?: string | null | undefined;
  /** Counted by caps per channel only when it matches. */
  channel?: string | null | undefined;
  experiment?: string | null | undefined;
  variant?: string | null | undefined;
};

/** A made-up person for ExperienceContext.profile (measurement/profile). */
export type SimulatedProfile = {
  /** Channels the person was seen on; the request's channel is added. */
  channels?: Array<string> | null | undefined;
  /** Devices the person was seen on; the request's device is added. */
  devices?: Array<string> | null | undefined;
  /** Events, any order (at most 1000). */
  events?: Array<SimulatedEvent> | null | undefined;
  /**
   * What the person was shown before, for frequency caps: the preview counts
   * these (and nothing else) against each cap, so a capped variant can be
   * seen giving way. Without it the person has seen nothing.
   */
  exposures?: Array<SimulatedExposure> | null | undefined;
  /** First seen; default the earliest event. */
  firstSeen?: string | null | undefined;
  /** Traits from identify events, as profile.traits reads them. */
  traits?: any;
  /** How many visitor ids (devices, browsers) the person has; default 1. */
  visitors?: number | null | undefined;
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type TypeKind =
  | 'BLOCK'
  | 'ENTRY';

export type UpdateEntryInput = {
  /** Replaces all fields. */
  fields?: any;
  slug?: string | null | undefined;
};

export type UpdateUserInput = {
  disabled?: boolean | null | undefined;
  password?: string | null | undefined;
  role?: Role | null | undefined;
};

/**
 * A variant: targeting is all-of its non-empty dimensions, any-of within one;
 * fields override the block's default fields key by key.
 */
export type VariantInput = {
  arm?: string | null | undefined;
  /** Eligible only while this campaign is live. */
  campaign?: string | null | undefined;
  /** Skipped (the next variant, or the default, is shown) once the person has seen it max times per period. */
  cap?: CapInput | null | undefined;
  channels?: Array<string> | null | undefined;
  devices?: Array<string> | null | undefined;
  /** Eligible only for visitors bucketed into this arm of this experiment. */
  experiment?: string | null | undefined;
  fields?: any;
  key: string;
  locales?: Array<string> | null | undefined;
  /** Breaks ties between equally specific variants: higher wins. */
  priority?: number | null | undefined;
  /** Defined segments only (an explicit one sent by a client or CDP is defined without a rule); unknown is BAD_USER_INPUT. */
  segments?: Array<string> | null | undefined;
};

export type WebhookDeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

export type WebhookEndpointInput = {
  description?: string | null | undefined;
  /** Event types to receive (exact, or a prefix such as campaign.*); empty or null: all. */
  eventTypes?: Array<string> | null | undefined;
  /** An absolute http(s) URL without credentials. */
  url: string;
};

export type AssetsQueryVariables = Exact<{
  tag?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type AssetsQuery = { assets: { nodes: Array<{ id: string, filename: string, contentType: string, size: number, width: number | null, height: number | null, tags: Array<string>, thumb: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AssetDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type AssetDetailQuery = { asset: { id: string, filename: string, contentType: string, size: number, sha256: string, width: number | null, height: number | null, tags: Array<string>, version: number, createdAt: string, updatedAt: string, original: string, watch: string, mobile: string, tablet: string, desktop: string, tv: string, kiosk: string, altTexts: Array<{ locale: string, text: string }>, focalPoint: { x: number, y: number } | null } | null };

export type UpdateAssetMutationVariables = Exact<{
  id: string | number;
  input: AssetInput;
  expectedVersion: number;
}>;


export type UpdateAssetMutation = { updateAsset: { id: string, version: number, tags: Array<string>, altTexts: Array<{ locale: string, text: string }>, focalPoint: { x: number, y: number } | null } };

export type AudiencesQueryVariables = Exact<{ [key: string]: never; }>;


export type AudiencesQuery = { segments: Array<{ key: string, name: string, rule: string | null, version: number, updatedAt: string, updatedBy: string }>, experiments: Array<{ key: string, name: string, holdout: number, version: number, updatedAt: string, primaryMetric: string | null, guardrailMetrics: Array<string>, plannedSampleSize: number | null, arms: Array<{ key: string, weight: number }>, cap: { max: number, per: string, timeZone: string | null, perChannel: boolean } | null }> };

export type MetricKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type MetricKeysQuery = { metrics: Array<{ key: string, name: string }> };

export type ValidateRuleQueryVariables = Exact<{
  rule: string;
}>;


export type ValidateRuleQuery = { validateSegmentRule: { valid: boolean, problems: Array<{ line: number | null, column: number | null, message: string }> } };

export type CreateSegmentStudioMutationVariables = Exact<{
  input: SegmentInput;
}>;


export type CreateSegmentStudioMutation = { createSegment: { key: string, version: number } };

export type UpdateSegmentStudioMutationVariables = Exact<{
  input: SegmentInput;
  v: number;
}>;


export type UpdateSegmentStudioMutation = { updateSegment: { key: string, version: number } };

export type DeleteSegmentStudioMutationVariables = Exact<{
  key: string;
}>;


export type DeleteSegmentStudioMutation = { deleteSegment: boolean };

export type CreateExperimentStudioMutationVariables = Exact<{
  input: ExperimentInput;
}>;


export type CreateExperimentStudioMutation = { createExperiment: { key: string, version: number } };

export type UpdateExperimentStudioMutationVariables = Exact<{
  input: ExperimentInput;
  v: number;
}>;


export type UpdateExperimentStudioMutation = { updateExperiment: { key: string, version: number } };

export type DeleteExperimentStudioMutationVariables = Exact<{
  key: string;
}>;


export type DeleteExperimentStudioMutation = { deleteExperiment: boolean };

export type CampaignListQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type CampaignListQuery = { campaigns: Array<{ id: string, key: string, name: string, description: string, status: CampaignStatus, timeZone: string, priority: number, channels: Array<string>, startsAt: string | null, endsAt: string | null, startsAtLocal: string | null, endsAtLocal: string | null, stoppedAt: string | null, stoppedBy: string | null, version: number, releaseSize: number, nextTransition: string | null, holdout: number, cap: { max: number, per: string, timeZone: string | null, perChannel: boolean } | null, variants: Array<{ entryId: string, type: string, slug: string, locale: string, blockId: string | null, variant: string, published: boolean }>, release: Array<{ entryId: string, locale: string, type: string, slug: string, scheduledVersion: number | null }> }>, campaignConflicts: Array<{ entryId: string, type: string, slug: string, blockId: string | null, locales: Array<string>, from: string, to: string, channels: Array<string>, reason: string, campaigns: Array<{ id: string, key: string }>, winner: { id: string, key: string } | null }> };

export type CreateCampaignStudioMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type CreateCampaignStudioMutation = { createCampaign: { id: string, key: string, version: number } };

export type ScheduleCampaignLocalMutationVariables = Exact<{
  id: string | number;
  startsAt: string;
  endsAt: string;
  expectedVersion?: number | null | undefined;
}>;


export type ScheduleCampaignLocalMutation = { scheduleCampaignLocal: { id: string, status: CampaignStatus, startsAt: string | null, endsAt: string | null, version: number } };

export type LaunchCampaignStudioMutationVariables = Exact<{
  id: string | number;
  endsAt?: string | null | undefined;
}>;


export type LaunchCampaignStudioMutation = { launchCampaign: { id: string, status: CampaignStatus, startsAt: string | null, endsAt: string | null } };

export type StopCampaignStudioMutationVariables = Exact<{
  id: string | number;
}>;


export type StopCampaignStudioMutation = { stopCampaign: { id: string, status: CampaignStatus, stoppedAt: string | null } };

export type DuplicateCampaignMutationVariables = Exact<{
  id: string | number;
  newKey: string;
  name?: string | null | undefined;
}>;


export type DuplicateCampaignMutation = { duplicateCampaign: { id: string, key: string } };

export type ArchiveCampaignMutationVariables = Exact<{
  id: string | number;
}>;


export type ArchiveCampaignMutation = { archiveCampaign: { id: string, archived: boolean } };

export type AddToReleaseMutationVariables = Exact<{
  campaignId: string | number;
  entryId: string | number;
  locale?: string | null | undefined;
}>;


export type AddToReleaseMutation = { addToRelease: { id: string, releaseSize: number } };

export type RemoveFromReleaseMutationVariables = Exact<{
  campaignId: string | number;
  entryId: string | number;
  locale?: string | null | undefined;
}>;


export type RemoveFromReleaseMutation = { removeFromRelease: { id: string, releaseSize: number } };

export type LaunchDiffQueryVariables = Exact<{
  slug: string;
  type?: string | null | undefined;
  locale?: string | null | undefined;
  context?: ExperienceContext | null | undefined;
  from: string;
  to: string;
}>;


export type LaunchDiffQuery = { experienceDiff: { slug: string, changed: boolean, changes: Array<{ blockId: string | null, type: string, kind: BlockChangeKind, fields: Array<string>, before: { decision: { variant: string } } | null, after: { decision: { variant: string } } | null }> } };

export type DraftPickQueryVariables = Exact<{
  type?: string | null | undefined;
}>;


export type DraftPickQuery = { drafts: Array<{ id: string, type: string, slug: string, locale: string, status: EntryStatus }> };

export type VariantTargetingQueryVariables = Exact<{
  id: string | number;
  locale?: string | null | undefined;
}>;


export type VariantTargetingQuery = { draft: { id: string, fields: any, variants: any } | null };

export type LocalesQueryVariables = Exact<{ [key: string]: never; }>;


export type LocalesQuery = { locales: { default: string, supported: Array<{ code: string, fallbackChain: Array<string> }> } };

export type PickedAssetQueryVariables = Exact<{
  id: string | number;
}>;


export type PickedAssetQuery = { asset: { id: string, filename: string, thumb: string } | null };

export type DraftsQueryVariables = Exact<{
  type?: string | null | undefined;
  locale?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  search?: string | null | undefined;
  status?: EntryStatus | null | undefined;
  orderBy?: DraftSort | null | undefined;
}>;


export type DraftsQuery = { drafts: Array<{ id: string, type: string, locale: string, slug: string, status: EntryStatus, version: number, publishedVersion: number | null, updatedAt: string, updatedBy: string }> };

export type DraftQueryVariables = Exact<{
  id: string | number;
  locale?: string | null | undefined;
}>;


export type DraftQuery = { draft: { id: string, type: string, locale: string, slug: string, fields: any, status: EntryStatus, version: number, publishedVersion: number | null, updatedAt: string, updatedBy: string, history: Array<{ version: number, slug: string, fields: any, publishedAt: string, publishedBy: string }> } | null };

export type CreateEntryMutationVariables = Exact<{
  input: CreateEntryInput;
}>;


export type CreateEntryMutation = { createEntry: { id: string, locale: string, version: number } };

export type UpdateEntryMutationVariables = Exact<{
  id: string | number;
  locale?: string | null | undefined;
  input: UpdateEntryInput;
  expectedVersion: number;
}>;


export type UpdateEntryMutation = { updateEntry: { id: string, locale: string, version: number, status: EntryStatus, fields: any, slug: string } };

export type PublishEntryMutationVariables = Exact<{
  id: string | number;
  locale?: string | null | undefined;
  expectedVersion?: number | null | undefined;
}>;


export type PublishEntryMutation = { publishEntry: { id: string, locale: string, version: number, publishedVersion: number | null, status: EntryStatus } };

export type UnpublishEntryMutationVariables = Exact<{
  id: string | number;
  locale?: string | null | undefined;
}>;


export type UnpublishEntryMutation = { unpublishEntry: { id: string, locale: string, status: EntryStatus, publishedVersion: number | null } };

export type RollbackEntryMutationVariables = Exact<{
  id: string | number;
  locale?: string | null | undefined;
  version: number;
  expectedVersion?: number | null | undefined;
}>;


export type RollbackEntryMutation = { rollbackEntry: { id: string, locale: string, version: number, publishedVersion: number | null, status: EntryStatus } };

export type DeleteEntryMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteEntryMutation = { deleteEntry: boolean };

export type ContentTypesFullQueryVariables = Exact<{ [key: string]: never; }>;


export type ContentTypesFullQuery = { contentTypes: Array<{ key: string, name: string, kind: TypeKind, version: number, fields: Array<{ key: string, name: string | null, description: string | null, kind: FieldKind, required: boolean, localized: boolean, unique: boolean, list: boolean, min: number | null, max: number | null, pattern: string | null, values: Array<string> | null, allowedTypes: Array<string> | null }> }> };

export type PickEntriesQueryVariables = Exact<{
  type?: string | null | undefined;
  locale?: string | null | undefined;
}>;


export type PickEntriesQuery = { drafts: Array<{ id: string, type: string, slug: string, status: EntryStatus }> };

export type PickAssetsQueryVariables = Exact<{
  tag?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type PickAssetsQuery = { assets: { nodes: Array<{ id: string, filename: string, contentType: string, width: number | null, height: number | null, thumb: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ContentTypesQueryVariables = Exact<{ [key: string]: never; }>;


export type ContentTypesQuery = { contentTypes: Array<{ key: string, name: string, kind: TypeKind, version: number, fields: Array<{ key: string, kind: FieldKind }> }> };

export type ContentTypeQueryVariables = Exact<{
  key: string;
}>;


export type ContentTypeQuery = { contentType: { key: string, name: string, description: string, kind: TypeKind, version: number, jsonSchema: any, updatedAt: string, fields: Array<{ key: string, name: string | null, description: string | null, kind: FieldKind, required: boolean, localized: boolean, unique: boolean, list: boolean, min: number | null, max: number | null, pattern: string | null, values: Array<string> | null, allowedTypes: Array<string> | null, recommend: { source: string, by: string | null, window: string | null, limit: number | null, types: Array<string> | null, tags: Array<string> | null, excludePurchased: boolean } | null }> } | null };

export type CreateContentTypeMutationVariables = Exact<{
  input: ContentTypeInput;
}>;


export type CreateContentTypeMutation = { createContentType: { key: string, version: number } };

export type DeleteContentTypeMutationVariables = Exact<{
  key: string;
  expectedVersion: number;
}>;


export type DeleteContentTypeMutation = { deleteContentType: boolean };

export type ChangeContentTypeMutationVariables = Exact<{
  key: string;
  changes: ContentTypeChangesInput;
  expectedVersion: number;
  force?: Array<string> | string | null | undefined;
  dryRun?: boolean | null | undefined;
}>;


export type ChangeContentTypeMutation = { changeContentType: { applied: boolean, contentType: { key: string, version: number }, diff: { changes: Array<string>, entriesAffected: number, added: Array<{ key: string, changes: Array<string>, entriesWithValues: number, destructive: boolean, needsForce: boolean }>, changed: Array<{ key: string, changes: Array<string>, entriesWithValues: number, destructive: boolean, needsForce: boolean }>, removed: Array<{ key: string, changes: Array<string>, entriesWithValues: number, destructive: boolean, needsForce: boolean }> } } };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, scope: ApiKeyScope, channels: Array<string>, expiresAt: string | null, revokedAt: string | null, revokedBy: string | null, lastUsedAt: string | null, createdAt: string, createdBy: string }> };

export type CreateApiKeyStudioMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyStudioMutation = { createAPIKey: { key: string, apiKey: { id: string, name: string } } };

export type RevokeApiKeyStudioMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyStudioMutation = { revokeAPIKey: { id: string, revokedAt: string | null } };

export type AuditLogQueryVariables = Exact<{
  after?: string | null | undefined;
  filter?: AuditFilter | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { nodes: Array<{ id: string, at: string, actor: string, actorKind: string, actorRole: string, action: string, entityType: string, entityId: string, beforeVersion: number | null, afterVersion: number | null, requestId: string, detail: any }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type UsersQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersQuery = { users: Array<{ id: string, email: string, role: Role, disabled: boolean, version: number, lastLoginAt: string | null, createdAt: string }> };

export type CreateUserStudioMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserStudioMutation = { createUser: { id: string } };

export type UpdateUserStudioMutationVariables = Exact<{
  id: string | number;
  input: UpdateUserInput;
  v: number;
}>;


export type UpdateUserStudioMutation = { updateUser: { id: string, role: Role, disabled: boolean, version: number } };

export type WebhooksQueryVariables = Exact<{
  status?: WebhookDeliveryStatus | null | undefined;
  after?: string | null | undefined;
}>;


export type WebhooksQuery = { webhookEndpoints: Array<{ id: string, url: string, description: string, eventTypes: Array<string>, createdAt: string, createdBy: string }>, webhookDeliveries: { nodes: Array<{ id: string, endpointId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, nextAttemptAt: string | null, lastAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, createdAt: string, log: Array<{ attempt: number, at: string, durationMs: number, statusCode: number | null, error: string | null }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateWebhookStudioMutationVariables = Exact<{
  input: WebhookEndpointInput;
}>;


export type CreateWebhookStudioMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string, url: string } } };

export type DeleteWebhookStudioMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteWebhookStudioMutation = { deleteWebhookEndpoint: boolean };

export type RedeliverStudioMutationVariables = Exact<{
  id: string | number;
}>;


export type RedeliverStudioMutation = { redeliverWebhook: { id: string, status: WebhookDeliveryStatus, nextAttemptAt: string | null } };

export type PreviewEntryQueryVariables = Exact<{
  slug: string;
  type?: string | null | undefined;
  locale?: string | null | undefined;
  context?: ExperienceContext | null | undefined;
}>;


export type PreviewEntryQuery = { entry: { id: string, type: string, slug: string, locale: string, version: number, publishedAt: string, fields: any, decision: { variant: string, reason: string, experiment: string | null, arm: string | null, campaign: { key: string } | null } | null, blocks: Array<{ id: string, type: string, fields: any, globalId: string | null, decision: { variant: string, reason: string, experiment: string | null, arm: string | null, campaign: { key: string } | null } }> } | null };

export type ExplainBlockQueryVariables = Exact<{
  slug: string;
  type?: string | null | undefined;
  locale?: string | null | undefined;
  blockId?: string | null | undefined;
  context?: ExperienceContext | null | undefined;
}>;


export type ExplainBlockQuery = { explainDecision: { blockId: string | null, segments: Array<string>, decision: { variant: string, reason: string }, variants: Array<{ variant: string, matched: boolean, chosen: boolean, reasons: Array<string> }> } | null };

export type PreviewChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type PreviewChoicesQuery = { drafts: Array<{ id: string, type: string, slug: string, locale: string }>, segments: Array<{ key: string }>, campaigns: Array<{ key: string, name: string, startsAt: string | null, timeZone: string }> };

export type ReportExperimentsQueryVariables = Exact<{ [key: string]: never; }>;


export type ReportExperimentsQuery = { experiments: Array<{ key: string, name: string, status: ExperimentStatus, startedAt: string | null, stoppedAt: string | null, winner: string | null, coverage: number, arms: Array<{ key: string, weight: number }> }> };

export type ReportExperimentQueryVariables = Exact<{
  key: string;
}>;


export type ReportExperimentQuery = { experiment: { key: string, name: string, status: ExperimentStatus, startedAt: string | null, stoppedAt: string | null, winner: string | null, coverage: number, holdout: number, version: number, primaryMetric: string | null, guardrailMetrics: Array<string>, plannedSampleSize: number | null, arms: Array<{ key: string, weight: number }>, rollout: Array<{ entryId: string, locale: string, version: number }> } | null, metrics: Array<{ key: string, name: string, kind: MetricKind, event: string, conversionWindow: string, goal: MetricGoal, guardrail: boolean }> };

export type ReportExperimentResultsQueryVariables = Exact<{
  key: string;
  metric: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
  alpha?: number | null | undefined;
  sequential?: boolean | null | undefined;
  breakdown?: Array<ExperimentBreakdown> | ExperimentBreakdown | null | undefined;
}>;


export type ReportExperimentResultsQuery = { experimentResults: { experiment: string, visitors: number, computedAt: string, alpha: number, sequential: boolean, multipleExposures: number, multipleExposureShare: number, metric: { key: string, name: string, kind: MetricKind, goal: MetricGoal, conversionWindow: string }, arms: Array<{ key: string, visitors: number, conversions: number, total: number, rate: number, lift: number | null, ciLow: number | null, ciHigh: number | null, pValue: number | null, chanceToWin: number | null, expectedLoss: number | null, reason: string | null }>, srm: { pValue: number, warning: boolean, tooFewUnits: boolean, expectedShare: Array<number>, observedShare: Array<number> }, daily: Array<{ day: string, arms: Array<{ key: string, visitors: number, conversions: number, rate: number, cumulativeVisitors: number, cumulativeRate: number }> }>, breakdowns: Array<{ dimension: ExperimentBreakdown, cells: Array<{ value: string, visitors: number, arms: Array<{ key: string, visitors: number, conversions: number, rate: number, lift: number | null, ciLow: number | null, ciHigh: number | null, pValue: number | null, chanceToWin: number | null, reason: string | null }>, srm: { warning: boolean, pValue: number } }> }> } };

export type ReportEligibilityQueryVariables = Exact<{
  key: string;
  from: string;
  to: string;
}>;


export type ReportEligibilityQuery = { experimentEligibility: { scanned: number, computedAt: string, blocks: Array<{ entryId: string, blockId: string, exposed: number, taken: number, bySegment: number, byContext: number, byCampaign: number }> } };

export type ReportStartExperimentMutationVariables = Exact<{
  key: string;
}>;


export type ReportStartExperimentMutation = { startExperiment: { key: string, status: ExperimentStatus, startedAt: string | null } };

export type ReportStopExperimentMutationVariables = Exact<{
  key: string;
  winner?: string | null | undefined;
  rollout?: boolean | null | undefined;
}>;


export type ReportStopExperimentMutation = { stopExperiment: { key: string, status: ExperimentStatus, stoppedAt: string | null, winner: string | null, rollout: Array<{ entryId: string, locale: string, version: number }> } };

export type ReportCampaignsQueryVariables = Exact<{ [key: string]: never; }>;


export type ReportCampaignsQuery = { campaigns: Array<{ key: string, name: string, status: CampaignStatus }>, metrics: Array<{ key: string, event: string }> };

export type ReportCampaignQueryVariables = Exact<{
  key: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
  event?: string | null | undefined;
  window?: string | null | undefined;
}>;


export type ReportCampaignQuery = { campaignReport: { campaign: string, reach: number, event: string | null, window: string | null, computedAt: string, cpa: number | null, roas: number | null, holdout: number, cost: { amount: number, currency: string } | null, variants: Array<{ key: string, reach: number, exposures: number }>, devices: Array<{ key: string, reach: number, exposures: number }>, channels: Array<{ key: string, reach: number, exposures: number }>, outcomes: Array<{ variant: string, visitors: number, conversions: number, conversionRate: number, revenue: number, aov: number, revenuePerVisitor: number }>, lift: { observedHoldoutShare: number | null, note: string | null, exposed: { visitors: number, conversions: number, conversionRate: number | null, revenue: number, revenuePerVisitor: number | null }, heldOut: { visitors: number, conversions: number, conversionRate: number | null, revenue: number, revenuePerVisitor: number | null }, conversionRate: { lift: number | null, ciLow: number | null, ciHigh: number | null, pValue: number | null, significant: boolean, reason: string | null } | null, revenuePerVisitor: { lift: number | null, ciLow: number | null, ciHigh: number | null, pValue: number | null, significant: boolean, reason: string | null } | null, srm: { pValue: number, warning: boolean } | null } } };

export type ReportKpisQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
  goal?: string | null | undefined;
}>;


export type ReportKpisQuery = { byDevice: { from: string, to: string, goal: string | null, computedAt: string, total: { device: string | null, channel: string | null, locale: string | null, visitors: number, converters: number, conversions: number, conversionRate: number, revenue: number, orders: number, aov: number, revenuePerVisitor: number, ltv: number, timeToConversion: { people: number, medianSeconds: number | null, p90Seconds: number | null } }, cells: Array<{ device: string | null, channel: string | null, locale: string | null, visitors: number, converters: number, conversions: number, conversionRate: number, revenue: number, orders: number, aov: number, revenuePerVisitor: number, ltv: number, timeToConversion: { people: number, medianSeconds: number | null, p90Seconds: number | null } }> }, byChannel: { cells: Array<{ device: string | null, channel: string | null, locale: string | null, visitors: number, converters: number, conversions: number, conversionRate: number, revenue: number, orders: number, aov: number, revenuePerVisitor: number, ltv: number, timeToConversion: { people: number, medianSeconds: number | null, p90Seconds: number | null } }> } };

export type ReportFunnelQueryVariables = Exact<{
  steps: Array<string> | string;
  window?: string | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  breakdown?: Array<KpiDimension> | KpiDimension | null | undefined;
}>;


export type ReportFunnelQuery = { funnel: { steps: Array<string>, window: string, from: string, to: string, scanned: number, computedAt: string, total: { people: number, crossDevice: number, crossDeviceShare: number, steps: Array<{ index: number, event: string, people: number, crossDevice: number, conversionRate: number, stepRate: number, dropOff: number, dropOffRate: number, medianSecondsFromPrevious: number | null }> }, groups: Array<{ device: string | null, channel: string | null, locale: string | null, people: number, crossDevice: number, crossDeviceShare: number, steps: Array<{ index: number, event: string, people: number, conversionRate: number, dropOff: number }> }> } };

export type ScreenFleetQueryVariables = Exact<{ [key: string]: never; }>;


export type ScreenFleetQuery = { screenFleet: Array<{ screenId: string, screen: string, channel: string | null, device: string | null, locale: string | null, client: string | null, bundleVersion: string | null, currentVersion: string | null, clockOffsetMs: number | null, lastSeenAt: string, state: ScreenState }> };

export type ForgetScreenMutationVariables = Exact<{
  id: string;
}>;


export type ForgetScreenMutation = { forgetScreen: boolean };

export type VariantDraftQueryVariables = Exact<{
  id: string | number;
  locale?: string | null | undefined;
}>;


export type VariantDraftQuery = { draft: { id: string, type: string, slug: string, locale: string, fields: any, variants: any, version: number, status: EntryStatus } | null, segments: Array<{ key: string }>, experiments: Array<{ key: string, arms: Array<{ key: string }> }>, campaigns: Array<{ key: string, priority: number, status: CampaignStatus }> };

export type UpsertVariantStudioMutationVariables = Exact<{
  entryId: string | number;
  locale?: string | null | undefined;
  blockId?: string | null | undefined;
  input: VariantInput;
  expectedVersion: number;
}>;


export type UpsertVariantStudioMutation = { upsertVariant: { id: string, version: number } };

export type RemoveVariantStudioMutationVariables = Exact<{
  entryId: string | number;
  locale?: string | null | undefined;
  blockId?: string | null | undefined;
  key: string;
  expectedVersion: number;
}>;


export type RemoveVariantStudioMutation = { removeVariant: { id: string, version: number } };

export type VariantEntriesQueryVariables = Exact<{ [key: string]: never; }>;


export type VariantEntriesQuery = { drafts: Array<{ id: string, type: string, slug: string, locale: string, status: EntryStatus }> };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { subject: string, kind: string, role: Role | null, permissions: Array<string>, expiresAt: string | null } | null };

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LoginMutation = { login: { token: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const AssetsDocument = new TypedDocumentString(`
    query Assets($tag: String, $after: String) {
  assets(first: 24, tag: $tag, after: $after) {
    nodes {
      id
      filename
      contentType
      size
      width
      height
      tags
      thumb: url(device: "mobile")
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AssetsQuery, AssetsQueryVariables>;
export const AssetDetailDocument = new TypedDocumentString(`
    query AssetDetail($id: ID!) {
  asset(id: $id) {
    id
    filename
    contentType
    size
    sha256
    width
    height
    tags
    version
    createdAt
    updatedAt
    altTexts {
      locale
      text
    }
    focalPoint {
      x
      y
    }
    original: url
    watch: url(device: "watch")
    mobile: url(device: "mobile")
    tablet: url(device: "tablet")
    desktop: url(device: "desktop")
    tv: url(device: "tv")
    kiosk: url(device: "kiosk")
  }
}
    `) as unknown as TypedDocumentString<AssetDetailQuery, AssetDetailQueryVariables>;
export const UpdateAssetDocument = new TypedDocumentString(`
    mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {
  updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {
    id
    version
    tags
    altTexts {
      locale
      text
    }
    focalPoint {
      x
      y
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateAssetMutation, UpdateAssetMutationVariables>;
export const AudiencesDocument = new TypedDocumentString(`
    query Audiences {
  segments {
    key
    name
    rule
    version
    updatedAt
    updatedBy
  }
  experiments {
    key
    name
    holdout
    version
    arms {
      key
      weight
    }
    updatedAt
    primaryMetric
    guardrailMetrics
    plannedSampleSize
    cap {
      max
      per
      timeZone
      perChannel
    }
  }
}
    `) as unknown as TypedDocumentString<AudiencesQuery, AudiencesQueryVariables>;
export const MetricKeysDocument = new TypedDocumentString(`
    query MetricKeys {
  metrics {
    key
    name
  }
}
    `) as unknown as TypedDocumentString<MetricKeysQuery, MetricKeysQueryVariables>;
export const ValidateRuleDocument = new TypedDocumentString(`
    query ValidateRule($rule: String!) {
  validateSegmentRule(rule: $rule) {
    valid
    problems {
      line
      column
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ValidateRuleQuery, ValidateRuleQueryVariables>;
export const CreateSegmentStudioDocument = new TypedDocumentString(`
    mutation CreateSegmentStudio($input: SegmentInput!) {
  createSegment(input: $input) {
    key
    version
  }
}
    `) as unknown as TypedDocumentString<CreateSegmentStudioMutation, CreateSegmentStudioMutationVariables>;
export const UpdateSegmentStudioDocument = new TypedDocumentString(`
    mutation UpdateSegmentStudio($input: SegmentInput!, $v: Int!) {
  updateSegment(input: $input, expectedVersion: $v) {
    key
    version
  }
}
    `) as unknown as TypedDocumentString<UpdateSegmentStudioMutation, UpdateSegmentStudioMutationVariables>;
export const DeleteSegmentStudioDocument = new TypedDocumentString(`
    mutation DeleteSegmentStudio($key: String!) {
  deleteSegment(key: $key)
}
    `) as unknown as TypedDocumentString<DeleteSegmentStudioMutation, DeleteSegmentStudioMutationVariables>;
export const CreateExperimentStudioDocument = new TypedDocumentString(`
    mutation CreateExperimentStudio($input: ExperimentInput!) {
  createExperiment(input: $input) {
    key
    version
  }
}
    `) as unknown as TypedDocumentString<CreateExperimentStudioMutation, CreateExperimentStudioMutationVariables>;
export const UpdateExperimentStudioDocument = new TypedDocumentString(`
    mutation UpdateExperimentStudio($input: ExperimentInput!, $v: Int!) {
  updateExperiment(input: $input, expectedVersion: $v) {
    key
    version
  }
}
    `) as unknown as TypedDocumentString<UpdateExperimentStudioMutation, UpdateExperimentStudioMutationVariables>;
export const DeleteExperimentStudioDocument = new TypedDocumentString(`
    mutation DeleteExperimentStudio($key: String!) {
  deleteExperiment(key: $key)
}
    `) as unknown as TypedDocumentString<DeleteExperimentStudioMutation, DeleteExperimentStudioMutationVariables>;
export const CampaignListDocument = new TypedDocumentString(`
    query CampaignList($from: DateTime!, $to: DateTime!) {
  campaigns(includeArchived: false) {
    id
    key
    name
    description
    status
    timeZone
    priority
    channels
    startsAt
    endsAt
    startsAtLocal
    endsAtLocal
    stoppedAt
    stoppedBy
    version
    releaseSize
    nextTransition
    holdout
    cap {
      max
      per
      timeZone
      perChannel
    }
    variants {
      entryId
      type
      slug
      locale
      blockId
      variant
      published
    }
    release {
      entryId
      locale
      type
      slug
      scheduledVersion
    }
  }
  campaignConflicts(from: $from, to: $to) {
    entryId
    type
    slug
    blockId
    locales
    from
    to
    channels
    reason
    campaigns {
      id
      key
    }
    winner {
      id
      key
    }
  }
}
    `) as unknown as TypedDocumentString<CampaignListQuery, CampaignListQueryVariables>;
export const CreateCampaignStudioDocument = new TypedDocumentString(`
    mutation CreateCampaignStudio($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    id
    key
    version
  }
}
    `) as unknown as TypedDocumentString<CreateCampaignStudioMutation, CreateCampaignStudioMutationVariables>;
export const ScheduleCampaignLocalDocument = new TypedDocumentString(`
    mutation ScheduleCampaignLocal($id: ID!, $startsAt: String!, $endsAt: String!, $expectedVersion: Int) {
  scheduleCampaignLocal(
    id: $id
    startsAt: $startsAt
    endsAt: $endsAt
    expectedVersion: $expectedVersion
  ) {
    id
    status
    startsAt
    endsAt
    version
  }
}
    `) as unknown as TypedDocumentString<ScheduleCampaignLocalMutation, ScheduleCampaignLocalMutationVariables>;
export const LaunchCampaignStudioDocument = new TypedDocumentString(`
    mutation LaunchCampaignStudio($id: ID!, $endsAt: DateTime) {
  launchCampaign(id: $id, endsAt: $endsAt) {
    id
    status
    startsAt
    endsAt
  }
}
    `) as unknown as TypedDocumentString<LaunchCampaignStudioMutation, LaunchCampaignStudioMutationVariables>;
export const StopCampaignStudioDocument = new TypedDocumentString(`
    mutation StopCampaignStudio($id: ID!) {
  stopCampaign(id: $id) {
    id
    status
    stoppedAt
  }
}
    `) as unknown as TypedDocumentString<StopCampaignStudioMutation, StopCampaignStudioMutationVariables>;
export const DuplicateCampaignDocument = new TypedDocumentString(`
    mutation DuplicateCampaign($id: ID!, $newKey: String!, $name: String) {
  duplicateCampaign(id: $id, newKey: $newKey, name: $name) {
    id
    key
  }
}
    `) as unknown as TypedDocumentString<DuplicateCampaignMutation, DuplicateCampaignMutationVariables>;
export const ArchiveCampaignDocument = new TypedDocumentString(`
    mutation ArchiveCampaign($id: ID!) {
  archiveCampaign(id: $id) {
    id
    archived
  }
}
    `) as unknown as TypedDocumentString<ArchiveCampaignMutation, ArchiveCampaignMutationVariables>;
export const AddToReleaseDocument = new TypedDocumentString(`
    mutation AddToRelease($campaignId: ID!, $entryId: ID!, $locale: String) {
  addToRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) {
    id
    releaseSize
  }
}
    `) as unknown as TypedDocumentString<AddToReleaseMutation, AddToReleaseMutationVariables>;
export const RemoveFromReleaseDocument = new TypedDocumentString(`
    mutation RemoveFromRelease($campaignId: ID!, $entryId: ID!, $locale: String) {
  removeFromRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) {
    id
    releaseSize
  }
}
    `) as unknown as TypedDocumentString<RemoveFromReleaseMutation, RemoveFromReleaseMutationVariables>;
export const LaunchDiffDocument = new TypedDocumentString(`
    query LaunchDiff($slug: String!, $type: String, $locale: String, $context: ExperienceContext, $from: DateTime!, $to: DateTime!) {
  experienceDiff(
    slug: $slug
    type: $type
    locale: $locale
    context: $context
    from: $from
    to: $to
  ) {
    slug
    changed
    changes {
      blockId
      type
      kind
      fields
      before {
        decision {
          variant
        }
      }
      after {
        decision {
          variant
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<LaunchDiffQuery, LaunchDiffQueryVariables>;
export const DraftPickDocument = new TypedDocumentString(`
    query DraftPick($type: String) {
  drafts(type: $type, first: 100) {
    id
    type
    slug
    locale
    status
  }
}
    `) as unknown as TypedDocumentString<DraftPickQuery, DraftPickQueryVariables>;
export const VariantTargetingDocument = new TypedDocumentString(`
    query VariantTargeting($id: ID!, $locale: String) {
  draft(id: $id, locale: $locale) {
    id
    fields
    variants
  }
}
    `) as unknown as TypedDocumentString<VariantTargetingQuery, VariantTargetingQueryVariables>;
export const LocalesDocument = new TypedDocumentString(`
    query Locales {
  locales {
    default
    supported {
      code
      fallbackChain
    }
  }
}
    `) as unknown as TypedDocumentString<LocalesQuery, LocalesQueryVariables>;
export const PickedAssetDocument = new TypedDocumentString(`
    query PickedAsset($id: ID!) {
  asset(id: $id) {
    id
    filename
    thumb: url(device: "watch")
  }
}
    `) as unknown as TypedDocumentString<PickedAssetQuery, PickedAssetQueryVariables>;
export const DraftsDocument = new TypedDocumentString(`
    query Drafts($type: String, $locale: String, $first: Int, $after: String, $search: String, $status: EntryStatus, $orderBy: DraftSort) {
  drafts(
    type: $type
    locale: $locale
    first: $first
    after: $after
    search: $search
    status: $status
    orderBy: $orderBy
  ) {
    id
    type
    locale
    slug
    status
    version
    publishedVersion
    updatedAt
    updatedBy
  }
}
    `) as unknown as TypedDocumentString<DraftsQuery, DraftsQueryVariables>;
export const DraftDocument = new TypedDocumentString(`
    query Draft($id: ID!, $locale: String) {
  draft(id: $id, locale: $locale) {
    id
    type
    locale
    slug
    fields
    status
    version
    publishedVersion
    updatedAt
    updatedBy
    history {
      version
      slug
      fields
      publishedAt
      publishedBy
    }
  }
}
    `) as unknown as TypedDocumentString<DraftQuery, DraftQueryVariables>;
export const CreateEntryDocument = new TypedDocumentString(`
    mutation CreateEntry($input: CreateEntryInput!) {
  createEntry(input: $input) {
    id
    locale
    version
  }
}
    `) as unknown as TypedDocumentString<CreateEntryMutation, CreateEntryMutationVariables>;
export const UpdateEntryDocument = new TypedDocumentString(`
    mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {
  updateEntry(
    id: $id
    locale: $locale
    input: $input
    expectedVersion: $expectedVersion
  ) {
    id
    locale
    version
    status
    fields
    slug
  }
}
    `) as unknown as TypedDocumentString<UpdateEntryMutation, UpdateEntryMutationVariables>;
export const PublishEntryDocument = new TypedDocumentString(`
    mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {
  publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) {
    id
    locale
    version
    publishedVersion
    status
  }
}
    `) as unknown as TypedDocumentString<PublishEntryMutation, PublishEntryMutationVariables>;
export const UnpublishEntryDocument = new TypedDocumentString(`
    mutation UnpublishEntry($id: ID!, $locale: String) {
  unpublishEntry(id: $id, locale: $locale) {
    id
    locale
    status
    publishedVersion
  }
}
    `) as unknown as TypedDocumentString<UnpublishEntryMutation, UnpublishEntryMutationVariables>;
export const RollbackEntryDocument = new TypedDocumentString(`
    mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {
  rollbackEntry(
    id: $id
    locale: $locale
    version: $version
    expectedVersion: $expectedVersion
  ) {
    id
    locale
    version
    publishedVersion
    status
  }
}
    `) as unknown as TypedDocumentString<RollbackEntryMutation, RollbackEntryMutationVariables>;
export const DeleteEntryDocument = new TypedDocumentString(`
    mutation DeleteEntry($id: ID!) {
  deleteEntry(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteEntryMutation, DeleteEntryMutationVariables>;
export const ContentTypesFullDocument = new TypedDocumentString(`
    query ContentTypesFull {
  contentTypes {
    key
    name
    kind
    version
    fields {
      key
      name
      description
      kind
      required
      localized
      unique
      list
      min
      max
      pattern
      values
      allowedTypes
    }
  }
}
    `) as unknown as TypedDocumentString<ContentTypesFullQuery, ContentTypesFullQueryVariables>;
export const PickEntriesDocument = new TypedDocumentString(`
    query PickEntries($type: String, $locale: String) {
  drafts(type: $type, locale: $locale, first: 100) {
    id
    type
    slug
    status
  }
}
    `) as unknown as TypedDocumentString<PickEntriesQuery, PickEntriesQueryVariables>;
export const PickAssetsDocument = new TypedDocumentString(`
    query PickAssets($tag: String, $after: String) {
  assets(first: 24, tag: $tag, after: $after) {
    nodes {
      id
      filename
      contentType
      width
      height
      thumb: url(device: "watch")
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<PickAssetsQuery, PickAssetsQueryVariables>;
export const ContentTypesDocument = new TypedDocumentString(`
    query ContentTypes {
  contentTypes {
    key
    name
    kind
    version
    fields {
      key
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<ContentTypesQuery, ContentTypesQueryVariables>;
export const ContentTypeDocument = new TypedDocumentString(`
    query ContentType($key: String!) {
  contentType(key: $key) {
    key
    name
    description
    kind
    version
    jsonSchema
    updatedAt
    fields {
      key
      name
      description
      kind
      required
      localized
      unique
      list
      min
      max
      pattern
      values
      allowedTypes
      recommend {
        source
        by
        window
        limit
        types
        tags
        excludePurchased
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ContentTypeQuery, ContentTypeQueryVariables>;
export const CreateContentTypeDocument = new TypedDocumentString(`
    mutation CreateContentType($input: ContentTypeInput!) {
  createContentType(input: $input) {
    key
    version
  }
}
    `) as unknown as TypedDocumentString<CreateContentTypeMutation, CreateContentTypeMutationVariables>;
export const DeleteContentTypeDocument = new TypedDocumentString(`
    mutation DeleteContentType($key: String!, $expectedVersion: Int!) {
  deleteContentType(key: $key, expectedVersion: $expectedVersion)
}
    `) as unknown as TypedDocumentString<DeleteContentTypeMutation, DeleteContentTypeMutationVariables>;
export const ChangeContentTypeDocument = new TypedDocumentString(`
    mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {
  changeContentType(
    key: $key
    changes: $changes
    expectedVersion: $expectedVersion
    force: $force
    dryRun: $dryRun
  ) {
    applied
    contentType {
      key
      version
    }
    diff {
      changes
      entriesAffected
      added {
        key
        changes
        entriesWithValues
        destructive
        needsForce
      }
      changed {
        key
        changes
        entriesWithValues
        destructive
        needsForce
      }
      removed {
        key
        changes
        entriesWithValues
        destructive
        needsForce
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ChangeContentTypeMutation, ChangeContentTypeMutationVariables>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys {
  apiKeys(includeRevoked: true) {
    id
    name
    prefix
    scope
    channels
    expiresAt
    revokedAt
    revokedBy
    lastUsedAt
    createdAt
    createdBy
  }
}
    `) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyStudioDocument = new TypedDocumentString(`
    mutation CreateApiKeyStudio($input: CreateAPIKeyInput!) {
  createAPIKey(input: $input) {
    key
    apiKey {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyStudioMutation, CreateApiKeyStudioMutationVariables>;
export const RevokeApiKeyStudioDocument = new TypedDocumentString(`
    mutation RevokeApiKeyStudio($id: ID!) {
  revokeAPIKey(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyStudioMutation, RevokeApiKeyStudioMutationVariables>;
export const AuditLogDocument = new TypedDocumentString(`
    query AuditLog($after: String, $filter: AuditFilter) {
  auditLog(first: 100, after: $after, filter: $filter) {
    nodes {
      id
      at
      actor
      actorKind
      actorRole
      action
      entityType
      entityId
      beforeVersion
      afterVersion
      requestId
      detail
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users {
  users {
    id
    email
    role
    disabled
    version
    lastLoginAt
    createdAt
  }
}
    `) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const CreateUserStudioDocument = new TypedDocumentString(`
    mutation CreateUserStudio($input: CreateUserInput!) {
  createUser(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateUserStudioMutation, CreateUserStudioMutationVariables>;
export const UpdateUserStudioDocument = new TypedDocumentString(`
    mutation UpdateUserStudio($id: ID!, $input: UpdateUserInput!, $v: Int!) {
  updateUser(id: $id, input: $input, expectedVersion: $v) {
    id
    role
    disabled
    version
  }
}
    `) as unknown as TypedDocumentString<UpdateUserStudioMutation, UpdateUserStudioMutationVariables>;
export const WebhooksDocument = new TypedDocumentString(`
    query Webhooks($status: WebhookDeliveryStatus, $after: String) {
  webhookEndpoints {
    id
    url
    description
    eventTypes
    createdAt
    createdBy
  }
  webhookDeliveries(status: $status, first: 200, after: $after) {
    nodes {
      id
      endpointId
      eventId
      eventType
      status
      attempts
      nextAttemptAt
      lastAttemptAt
      lastStatusCode
      lastError
      createdAt
      log {
        attempt
        at
        durationMs
        statusCode
        error
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<WebhooksQuery, WebhooksQueryVariables>;
export const CreateWebhookStudioDocument = new TypedDocumentString(`
    mutation CreateWebhookStudio($input: WebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret
    endpoint {
      id
      url
    }
  }
}
    `) as unknown as TypedDocumentString<CreateWebhookStudioMutation, CreateWebhookStudioMutationVariables>;
export const DeleteWebhookStudioDocument = new TypedDocumentString(`
    mutation DeleteWebhookStudio($id: ID!) {
  deleteWebhookEndpoint(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteWebhookStudioMutation, DeleteWebhookStudioMutationVariables>;
export const RedeliverStudioDocument = new TypedDocumentString(`
    mutation RedeliverStudio($id: ID!) {
  redeliverWebhook(deliveryId: $id) {
    id
    status
    nextAttemptAt
  }
}
    `) as unknown as TypedDocumentString<RedeliverStudioMutation, RedeliverStudioMutationVariables>;
export const PreviewEntryDocument = new TypedDocumentString(`
    query PreviewEntry($slug: String!, $type: String, $locale: String, $context: ExperienceContext) {
  entry(slug: $slug, type: $type, locale: $locale, context: $context) {
    id
    type
    slug
    locale
    version
    publishedAt
    fields
    decision {
      variant
      reason
      experiment
      arm
      campaign {
        key
      }
    }
    blocks {
      id
      type
      fields
      globalId
      decision {
        variant
        reason
        experiment
        arm
        campaign {
          key
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PreviewEntryQuery, PreviewEntryQueryVariables>;
export const ExplainBlockDocument = new TypedDocumentString(`
    query ExplainBlock($slug: String!, $type: String, $locale: String, $blockId: String, $context: ExperienceContext) {
  explainDecision(
    slug: $slug
    type: $type
    locale: $locale
    blockId: $blockId
    context: $context
  ) {
    blockId
    segments
    decision {
      variant
      reason
    }
    variants {
      variant
      matched
      chosen
      reasons
    }
  }
}
    `) as unknown as TypedDocumentString<ExplainBlockQuery, ExplainBlockQueryVariables>;
export const PreviewChoicesDocument = new TypedDocumentString(`
    query PreviewChoices {
  drafts(first: 100) {
    id
    type
    slug
    locale
  }
  segments {
    key
  }
  campaigns {
    key
    name
    startsAt
    timeZone
  }
}
    `) as unknown as TypedDocumentString<PreviewChoicesQuery, PreviewChoicesQueryVariables>;
export const ReportExperimentsDocument = new TypedDocumentString(`
    query ReportExperiments {
  experiments {
    key
    name
    status
    startedAt
    stoppedAt
    winner
    coverage
    arms {
      key
      weight
    }
  }
}
    `) as unknown as TypedDocumentString<ReportExperimentsQuery, ReportExperimentsQueryVariables>;
export const ReportExperimentDocument = new TypedDocumentString(`
    query ReportExperiment($key: String!) {
  experiment(key: $key) {
    key
    name
    status
    startedAt
    stoppedAt
    winner
    coverage
    holdout
    version
    arms {
      key
      weight
    }
    primaryMetric
    guardrailMetrics
    plannedSampleSize
    rollout {
      entryId
      locale
      version
    }
  }
  metrics {
    key
    name
    kind
    event
    conversionWindow
    goal
    guardrail
  }
}
    `) as unknown as TypedDocumentString<ReportExperimentQuery, ReportExperimentQueryVariables>;
export const ReportExperimentResultsDocument = new TypedDocumentString(`
    query ReportExperimentResults($key: String!, $metric: String!, $from: DateTime, $to: DateTime, $alpha: Float, $sequential: Boolean, $breakdown: [ExperimentBreakdown!]) {
  experimentResults(
    key: $key
    metric: $metric
    from: $from
    to: $to
    alpha: $alpha
    sequential: $sequential
    breakdown: $breakdown
  ) {
    experiment
    visitors
    computedAt
    alpha
    sequential
    multipleExposures
    multipleExposureShare
    metric {
      key
      name
      kind
      goal
      conversionWindow
    }
    arms {
      key
      visitors
      conversions
      total
      rate
      lift
      ciLow
      ciHigh
      pValue
      chanceToWin
      expectedLoss
      reason
    }
    srm {
      pValue
      warning
      tooFewUnits
      expectedShare
      observedShare
    }
    daily {
      day
      arms {
        key
        visitors
        conversions
        rate
        cumulativeVisitors
        cumulativeRate
      }
    }
    breakdowns {
      dimension
      cells {
        value
        visitors
        arms {
          key
          visitors
          conversions
          rate
          lift
          ciLow
          ciHigh
          pValue
          chanceToWin
          reason
        }
        srm {
          warning
          pValue
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReportExperimentResultsQuery, ReportExperimentResultsQueryVariables>;
export const ReportEligibilityDocument = new TypedDocumentString(`
    query ReportEligibility($key: String!, $from: DateTime!, $to: DateTime!) {
  experimentEligibility(key: $key, from: $from, to: $to) {
    scanned
    computedAt
    blocks {
      entryId
      blockId
      exposed
      taken
      bySegment
      byContext
      byCampaign
    }
  }
}
    `) as unknown as TypedDocumentString<ReportEligibilityQuery, ReportEligibilityQueryVariables>;
export const ReportStartExperimentDocument = new TypedDocumentString(`
    mutation ReportStartExperiment($key: String!) {
  startExperiment(key: $key) {
    key
    status
    startedAt
  }
}
    `) as unknown as TypedDocumentString<ReportStartExperimentMutation, ReportStartExperimentMutationVariables>;
export const ReportStopExperimentDocument = new TypedDocumentString(`
    mutation ReportStopExperiment($key: String!, $winner: String, $rollout: Boolean) {
  stopExperiment(key: $key, winner: $winner, rollout: $rollout) {
    key
    status
    stoppedAt
    winner
    rollout {
      entryId
      locale
      version
    }
  }
}
    `) as unknown as TypedDocumentString<ReportStopExperimentMutation, ReportStopExperimentMutationVariables>;
export const ReportCampaignsDocument = new TypedDocumentString(`
    query ReportCampaigns {
  campaigns(includeArchived: false) {
    key
    name
    status
  }
  metrics {
    key
    event
  }
}
    `) as unknown as TypedDocumentString<ReportCampaignsQuery, ReportCampaignsQueryVariables>;
export const ReportCampaignDocument = new TypedDocumentString(`
    query ReportCampaign($key: String!, $from: DateTime, $to: DateTime, $event: String, $window: String) {
  campaignReport(key: $key, from: $from, to: $to, event: $event, window: $window) {
    campaign
    reach
    event
    window
    computedAt
    cpa
    roas
    cost {
      amount
      currency
    }
    variants {
      key
      reach
      exposures
    }
    devices {
      key
      reach
      exposures
    }
    channels {
      key
      reach
      exposures
    }
    outcomes {
      variant
      visitors
      conversions
      conversionRate
      revenue
      aov
      revenuePerVisitor
    }
    holdout
    lift {
      observedHoldoutShare
      note
      exposed {
        visitors
        conversions
        conversionRate
        revenue
        revenuePerVisitor
      }
      heldOut {
        visitors
        conversions
        conversionRate
        revenue
        revenuePerVisitor
      }
      conversionRate {
        lift
        ciLow
        ciHigh
        pValue
        significant
        reason
      }
      revenuePerVisitor {
        lift
        ciLow
        ciHigh
        pValue
        significant
        reason
      }
      srm {
        pValue
        warning
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReportCampaignQuery, ReportCampaignQueryVariables>;
export const ReportKpisDocument = new TypedDocumentString(`
    query ReportKpis($from: DateTime, $to: DateTime, $goal: String) {
  byDevice: kpis(from: $from, to: $to, goal: $goal, breakdown: [DEVICE]) {
    from
    to
    goal
    computedAt
    total {
      device
      channel
      locale
      visitors
      converters
      conversions
      conversionRate
      revenue
      orders
      aov
      revenuePerVisitor
      ltv
      timeToConversion {
        people
        medianSeconds
        p90Seconds
      }
    }
    cells {
      device
      channel
      locale
      visitors
      converters
      conversions
      conversionRate
      revenue
      orders
      aov
      revenuePerVisitor
      ltv
      timeToConversion {
        people
        medianSeconds
        p90Seconds
      }
    }
  }
  byChannel: kpis(from: $from, to: $to, goal: $goal, breakdown: [CHANNEL]) {
    cells {
      device
      channel
      locale
      visitors
      converters
      conversions
      conversionRate
      revenue
      orders
      aov
      revenuePerVisitor
      ltv
      timeToConversion {
        people
        medianSeconds
        p90Seconds
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReportKpisQuery, ReportKpisQueryVariables>;
export const ReportFunnelDocument = new TypedDocumentString(`
    query ReportFunnel($steps: [String!]!, $window: String, $from: DateTime, $to: DateTime, $breakdown: [KpiDimension!]) {
  funnel(
    steps: $steps
    window: $window
    from: $from
    to: $to
    breakdown: $breakdown
  ) {
    steps
    window
    from
    to
    scanned
    computedAt
    total {
      people
      crossDevice
      crossDeviceShare
      steps {
        index
        event
        people
        crossDevice
        conversionRate
        stepRate
        dropOff
        dropOffRate
        medianSecondsFromPrevious
      }
    }
    groups {
      device
      channel
      locale
      people
      crossDevice
      crossDeviceShare
      steps {
        index
        event
        people
        conversionRate
        dropOff
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReportFunnelQuery, ReportFunnelQueryVariables>;
export const ScreenFleetDocument = new TypedDocumentString(`
    query ScreenFleet {
  screenFleet(first: 500) {
    screenId
    screen
    channel
    device
    locale
    client
    bundleVersion
    currentVersion
    clockOffsetMs
    lastSeenAt
    state
  }
}
    `) as unknown as TypedDocumentString<ScreenFleetQuery, ScreenFleetQueryVariables>;
export const ForgetScreenDocument = new TypedDocumentString(`
    mutation ForgetScreen($id: String!) {
  forgetScreen(screenId: $id)
}
    `) as unknown as TypedDocumentString<ForgetScreenMutation, ForgetScreenMutationVariables>;
export const VariantDraftDocument = new TypedDocumentString(`
    query VariantDraft($id: ID!, $locale: String) {
  draft(id: $id, locale: $locale) {
    id
    type
    slug
    locale
    fields
    variants
    version
    status
  }
  segments {
    key
  }
  experiments {
    key
    arms {
      key
    }
  }
  campaigns {
    key
    priority
    status
  }
}
    `) as unknown as TypedDocumentString<VariantDraftQuery, VariantDraftQueryVariables>;
export const UpsertVariantStudioDocument = new TypedDocumentString(`
    mutation UpsertVariantStudio($entryId: ID!, $locale: String, $blockId: String, $input: VariantInput!, $expectedVersion: Int!) {
  upsertVariant(
    entryId: $entryId
    locale: $locale
    blockId: $blockId
    input: $input
    expectedVersion: $expectedVersion
  ) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<UpsertVariantStudioMutation, UpsertVariantStudioMutationVariables>;
export const RemoveVariantStudioDocument = new TypedDocumentString(`
    mutation RemoveVariantStudio($entryId: ID!, $locale: String, $blockId: String, $key: String!, $expectedVersion: Int!) {
  removeVariant(
    entryId: $entryId
    locale: $locale
    blockId: $blockId
    key: $key
    expectedVersion: $expectedVersion
  ) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<RemoveVariantStudioMutation, RemoveVariantStudioMutationVariables>;
export const VariantEntriesDocument = new TypedDocumentString(`
    query VariantEntries {
  drafts(first: 100) {
    id
    type
    slug
    locale
    status
  }
}
    `) as unknown as TypedDocumentString<VariantEntriesQuery, VariantEntriesQueryVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    subject
    kind
    role
    permissions
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;