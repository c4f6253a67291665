/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Assets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType size width height tags thumb: url(device: \"mobile\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AssetsDocument,
    "\n  query AssetDetail($id: ID!) {\n    asset(id: $id) {\n      id filename contentType size sha256 width height tags version createdAt updatedAt\n      altTexts { locale text }\n      focalPoint { x y }\n      original: url\n      watch: url(device: \"watch\")\n      mobile: url(device: \"mobile\")\n      tablet: url(device: \"tablet\")\n      desktop: url(device: \"desktop\")\n      tv: url(device: \"tv\")\n      kiosk: url(device: \"kiosk\")\n    }\n  }\n": typeof types.AssetDetailDocument,
    "\n  mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {\n    updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {\n      id version tags altTexts { locale text } focalPoint { x y }\n    }\n  }\n": typeof types.UpdateAssetDocument,
    "\n  query Audiences { segments { key name rule version updatedAt updatedBy } experiments { key name holdout version arms { key weight } updatedAt\n    primaryMetric guardrailMetrics plannedSampleSize cap { max per timeZone perChannel } } }\n": typeof types.AudiencesDocument,
    "query MetricKeys { metrics { key name } }": typeof types.MetricKeysDocument,
    "query ValidateRule($rule: String!) { validateSegmentRule(rule: $rule) { valid problems { line column message } } }": typeof types.ValidateRuleDocument,
    "mutation CreateSegmentStudio($input: SegmentInput!) { createSegment(input: $input) { key version } }": typeof types.CreateSegmentStudioDocument,
    "mutation UpdateSegmentStudio($input: SegmentInput!, $v: Int!) { updateSegment(input: $input, expectedVersion: $v) { key version } }": typeof types.UpdateSegmentStudioDocument,
    "mutation DeleteSegmentStudio($key: String!) { deleteSegment(key: $key) }": typeof types.DeleteSegmentStudioDocument,
    "mutation CreateExperimentStudio($input: ExperimentInput!) { createExperiment(input: $input) { key version } }": typeof types.CreateExperimentStudioDocument,
    "mutation UpdateExperimentStudio($input: ExperimentInput!, $v: Int!) { updateExperiment(input: $input, expectedVersion: $v) { key version } }": typeof types.UpdateExperimentStudioDocument,
    "mutation DeleteExperimentStudio($key: String!) { deleteExperiment(key: $key) }": typeof types.DeleteExperimentStudioDocument,
    "\n  query CampaignList($from: DateTime!, $to: DateTime!) {\n    campaigns(includeArchived: false) {\n      id key name description status timeZone priority channels startsAt endsAt startsAtLocal endsAtLocal\n      stoppedAt stoppedBy version releaseSize nextTransition holdout cap { max per timeZone perChannel }\n      variants { entryId type slug locale blockId variant published }\n      release { entryId locale type slug scheduledVersion }\n    }\n    campaignConflicts(from: $from, to: $to) {\n      entryId type slug blockId locales from to channels reason\n      campaigns { id key } winner { id key }\n    }\n  }\n": typeof types.CampaignListDocument,
    "\n  mutation CreateCampaignStudio($input: CreateCampaignInput!) { createCampaign(input: $input) { id key version } }\n": typeof types.CreateCampaignStudioDocument,
    "\n  mutation ScheduleCampaignLocal($id: ID!, $startsAt: String!, $endsAt: String!, $expectedVersion: Int) {\n    scheduleCampaignLocal(id: $id, startsAt: $startsAt, endsAt: $endsAt, expectedVersion: $expectedVersion) { id status startsAt endsAt version }\n  }\n": typeof types.ScheduleCampaignLocalDocument,
    "mutation LaunchCampaignStudio($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }": typeof types.LaunchCampaignStudioDocument,
    "mutation StopCampaignStudio($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }": typeof types.StopCampaignStudioDocument,
    "\n  mutation DuplicateCampaign($id: ID!, $newKey: String!, $name: String) { duplicateCampaign(id: $id, newKey: $newKey, name: $name) { id key } }\n": typeof types.DuplicateCampaignDocument,
    "mutation ArchiveCampaign($id: ID!) { archiveCampaign(id: $id) { id archived } }": typeof types.ArchiveCampaignDocument,
    "\n  mutation AddToRelease($campaignId: ID!, $entryId: ID!, $locale: String) { addToRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }\n": typeof types.AddToReleaseDocument,
    "\n  mutation RemoveFromRelease($campaignId: ID!, $entryId: ID!, $locale: String) { removeFromRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }\n": typeof types.RemoveFromReleaseDocument,
    "\n  query LaunchDiff($slug: String!, $type: String, $locale: String, $context: ExperienceContext, $from: DateTime!, $to: DateTime!) {\n    experienceDiff(slug: $slug, type: $type, locale: $locale, context: $context, from: $from, to: $to) {\n      slug changed changes { blockId type kind fields before { decision { variant } } after { decision { variant } } }\n    }\n  }\n": typeof types.LaunchDiffDocument,
    "\n  query DraftPick($type: String) { drafts(type: $type, first: 100) { id type slug locale status } }\n": typeof types.DraftPickDocument,
    "\n  query VariantTargeting($id: ID!, $locale: String) { draft(id: $id, locale: $locale) { id fields variants } }\n": typeof types.VariantTargetingDocument,
    "\n  query Locales { locales { default supported { code fallbackChain } } }\n": typeof types.LocalesDocument,
    "\n  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: \"watch\") } }\n": typeof types.PickedAssetDocument,
    "\n  query Drafts($type: String, $locale: String, $first: Int, $after: String, $search: String, $status: EntryStatus, $orderBy: DraftSort) {\n    drafts(type: $type, locale: $locale, first: $first, after: $after, search: $search, status: $status, orderBy: $orderBy) {\n      id type locale slug status version publishedVersion updatedAt updatedBy\n    }\n  }\n": typeof types.DraftsDocument,
    "\n  query Draft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) {\n      id type locale slug fields status version publishedVersion updatedAt updatedBy\n      history { version slug fields publishedAt publishedBy }\n    }\n  }\n": typeof types.DraftDocument,
    "\n  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }\n": typeof types.CreateEntryDocument,
    "\n  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {\n    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }\n  }\n": typeof types.UpdateEntryDocument,
    "\n  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {\n    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n": typeof types.PublishEntryDocument,
    "\n  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }\n": typeof types.UnpublishEntryDocument,
    "\n  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {\n    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n": typeof types.RollbackEntryDocument,
    "\n  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }\n": typeof types.DeleteEntryDocument,
    "\n  query ContentTypesFull {\n    contentTypes {\n      key name kind version\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n": typeof types.ContentTypesFullDocument,
    "\n  query PickEntries($type: String, $locale: String) {\n    drafts(type: $type, locale: $locale, first: 100) { id type slug status }\n  }\n": typeof types.PickEntriesDocument,
    "\n  query PickAssets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType width height thumb: url(device: \"watch\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.PickAssetsDocument,
    "\n  query ContentTypes { contentTypes { key name kind version fields { key kind } } }\n": typeof types.ContentTypesDocument,
    "\n  query ContentType($key: String!) {\n    contentType(key: $key) {\n      key name description kind version jsonSchema updatedAt\n      fields { key name description kind required localized unique list min max pattern values allowedTypes\n        recommend { source by window limit types tags excludePurchased } }\n    }\n  }\n": typeof types.ContentTypeDocument,
    "\n  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }\n": typeof types.CreateContentTypeDocument,
    "\n  mutation DeleteContentType($key: String!, $expectedVersion: Int!) { deleteContentType(key: $key, expectedVersion: $expectedVersion) }\n": typeof types.DeleteContentTypeDocument,
    "\n  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {\n    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {\n      applied\n      contentType { key version }\n      diff {\n        changes entriesAffected\n        added { key changes entriesWithValues destructive needsForce }\n        changed { key changes entriesWithValues destructive needsForce }\n        removed { key changes entriesWithValues destructive needsForce }\n      }\n    }\n  }\n": typeof types.ChangeContentTypeDocument,
    "query ApiKeys { apiKeys(includeRevoked: true) { id name prefix scope channels expiresAt revokedAt revokedBy lastUsedAt createdAt createdBy } }": typeof types.ApiKeysDocument,
    "mutation CreateApiKeyStudio($input: CreateAPIKeyInput!) { createAPIKey(input: $input) { key apiKey { id name } } }": typeof types.CreateApiKeyStudioDocument,
    "mutation RevokeApiKeyStudio($id: ID!) { revokeAPIKey(id: $id) { id revokedAt } }": typeof types.RevokeApiKeyStudioDocument,
    "\n  query AuditLog($after: String, $filter: AuditFilter) {\n    auditLog(first: 100, after: $after, filter: $filter) {\n      nodes { id at actor actorKind actorRole action entityType entityId beforeVersion afterVersion requestId detail }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AuditLogDocument,
    "query Users { users { id email role disabled version lastLoginAt createdAt } }": typeof types.UsersDocument,
    "mutation CreateUserStudio($input: CreateUserInput!) { createUser(input: $input) { id } }": typeof types.CreateUserStudioDocument,
    "mutation UpdateUserStudio($id: ID!, $input: UpdateUserInput!, $v: Int!) { updateUser(id: $id, input: $input, expectedVersion: $v) { id role disabled version } }": typeof types.UpdateUserStudioDocument,
    "\n  query Webhooks($status: WebhookDeliveryStatus, $after: String) {\n    webhookEndpoints { id url description eventTypes createdAt createdBy }\n    webhookDeliveries(status: $status, first: 200, after: $after) {\n      nodes { id endpointId eventId eventType status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError createdAt\n        log { attempt at durationMs statusCode error } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.WebhooksDocument,
    "mutation CreateWebhookStudio($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url } } }": typeof types.CreateWebhookStudioDocument,
    "mutation DeleteWebhookStudio($id: ID!) { deleteWebhookEndpoint(id: $id) }": typeof types.DeleteWebhookStudioDocument,
    "mutation RedeliverStudio($id: ID!) { redeliverWebhook(deliveryId: $id) { id status nextAttemptAt } }": typeof types.RedeliverStudioDocument,
    "\n  query PreviewEntry($slug: String!, $type: String, $locale: String, $context: ExperienceContext) {\n    entry(slug: $slug, type: $type, locale: $locale, context: $context) {\n      id type slug locale version publishedAt fields\n      decision { variant reason experiment arm campaign { key } }\n      blocks { id type fields globalId decision { variant reason experiment arm campaign { key } } }\n    }\n  }\n": typeof types.PreviewEntryDocument,
    "\n  query ExplainBlock($slug: String!, $type: String, $locale: String, $blockId: String, $context: ExperienceContext) {\n    explainDecision(slug: $slug, type: $type, locale: $locale, blockId: $blockId, context: $context) {\n      blockId segments decision { variant reason } variants { variant matched chosen reasons }\n    }\n  }\n": typeof types.ExplainBlockDocument,
    "\n  query PreviewChoices { drafts(first: 100) { id type slug locale } segments { key } campaigns { key name startsAt timeZone } }\n": typeof types.PreviewChoicesDocument,
    "\n  query ReportExperiments { experiments { key name status startedAt stoppedAt winner coverage arms { key weight } } }\n": typeof types.ReportExperimentsDocument,
    "\n  query ReportExperiment($key: String!) {\n    experiment(key: $key) {\n      key name status startedAt stoppedAt winner coverage holdout version arms { key weight }\n      primaryMetric guardrailMetrics plannedSampleSize rollout { entryId locale version }\n    }\n    metrics { key name kind event conversionWindow goal guardrail }\n  }\n": typeof types.ReportExperimentDocument,
    "\n  query ReportExperimentResults($key: String!, $metric: String!, $from: DateTime, $to: DateTime, $alpha: Float, $sequential: Boolean, $breakdown: [ExperimentBreakdown!]) {\n    experimentResults(key: $key, metric: $metric, from: $from, to: $to, alpha: $alpha, sequential: $sequential, breakdown: $breakdown) {\n      experiment visitors computedAt alpha sequential multipleExposures multipleExposureShare\n      metric { key name kind goal conversionWindow }\n      arms { key visitors conversions total rate lift ciLow ciHigh pValue chanceToWin expectedLoss reason }\n      srm { pValue warning tooFewUnits expectedShare observedShare }\n      daily { day arms { key visitors conversions rate cumulativeVisitors cumulativeRate } }\n      breakdowns { dimension cells { value visitors arms { key visitors conversions rate lift ciLow ciHigh pValue chanceToWin reason } srm { warning pValue } } }\n    }\n  }\n": typeof types.ReportExperimentResultsDocument,
    "\n  query ReportEligibility($key: String!, $from: DateTime!, $to: DateTime!) {\n    experimentEligibility(key: $key, from: $from, to: $to) {\n      scanned computedAt blocks { entryId blockId exposed taken bySegment byContext byCampaign }\n    }\n  }\n": typeof types.ReportEligibilityDocument,
    "\n  mutation ReportStartExperiment($key: String!) { startExperiment(key: $key) { key status startedAt } }\n": typeof types.ReportStartExperimentDocument,
    "\n  mutation ReportStopExperiment($key: String!, $winner: String, $rollout: Boolean) {\n    stopExperiment(key: $key, winner: $winner, rollout: $rollout) { key status stoppedAt winner rollout { entryId locale version } }\n  }\n": typeof types.ReportStopExperimentDocument,
    "\n  query ReportCampaigns { campaigns(includeArchived: false) { key name status } metrics { key event } }\n": typeof types.ReportCampaignsDocument,
    "\n  query ReportCampaign($key: String!, $from: DateTime, $to: DateTime, $event: String, $window: String) {\n    campaignReport(key: $key, from: $from, to: $to, event: $event, window: $window) {\n      campaign reach event window computedAt cpa roas\n      cost { amount currency }\n      variants { key reach exposures }\n      devices { key reach exposures }\n      channels { key reach exposures }\n      outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor }\n      holdout\n      lift {\n        observedHoldoutShare note\n        exposed { visitors conversions conversionRate revenue revenuePerVisitor }\n        heldOut { visitors conversions conversionRate revenue revenuePerVisitor }\n        conversionRate { lift ciLow ciHigh pValue significant reason }\n        revenuePerVisitor { lift ciLow ciHigh pValue significant reason }\n        srm { pValue warning }\n      }\n    }\n  }\n": typeof types.ReportCampaignDocument,
    "\n  query ReportKpis($from: DateTime, $to: DateTime, $goal: String) {\n    byDevice: kpis(from: $from, to: $to, goal: $goal, breakdown: [DEVICE]) {\n      from to goal computedAt\n      total { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n    }\n    byChannel: kpis(from: $from, to: $to, goal: $goal, breakdown: [CHANNEL]) {\n      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n    }\n  }\n": typeof types.ReportKpisDocument,
    "\n  query ReportFunnel($steps: [String!]!, $window: String, $from: DateTime, $to: DateTime, $breakdown: [KpiDimension!]) {\n    funnel(steps: $steps, window: $window, from: $from, to: $to, breakdown: $breakdown) {\n      steps window from to scanned computedAt\n      total { people crossDevice crossDeviceShare steps { index event people crossDevice conversionRate stepRate dropOff dropOffRate medianSecondsFromPrevious } }\n      groups { device channel locale people crossDevice crossDeviceShare steps { index event people conversionRate dropOff } }\n    }\n  }\n": typeof types.ReportFunnelDocument,
    "\n  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }\n": typeof types.ScreenFleetDocument,
    "mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }": typeof types.ForgetScreenDocument,
    "\n  query VariantDraft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) { id type slug locale fields variants version status }\n    segments { key }\n    experiments { key arms { key } }\n    campaigns { key priority status }\n  }\n": typeof types.VariantDraftDocument,
    "\n  mutation UpsertVariantStudio($entryId: ID!, $locale: String, $blockId: String, $input: VariantInput!, $expectedVersion: Int!) {\n    upsertVariant(entryId: $entryId, locale: $locale, blockId: $blockId, input: $input, expectedVersion: $expectedVersion) { id version }\n  }\n": typeof types.UpsertVariantStudioDocument,
    "\n  mutation RemoveVariantStudio($entryId: ID!, $locale: String, $blockId: String, $key: String!, $expectedVersion: Int!) {\n    removeVariant(entryId: $entryId, locale: $locale, blockId: $blockId, key: $key, expectedVersion: $expectedVersion) { id version }\n  }\n": typeof types.RemoveVariantStudioDocument,
    "\n  query VariantEntries { drafts(first: 100) { id type slug locale status } }\n": typeof types.VariantEntriesDocument,
    "\n  query Me { me { subject kind role permissions expiresAt } }\n": typeof types.MeDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token }\n  }\n": typeof types.LoginDocument,
};
const documents: Documents = {
    "\n  query Assets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType size width height tags thumb: url(device: \"mobile\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AssetsDocument,
    "\n  query AssetDetail($id: ID!) {\n    asset(id: $id) {\n      id filename contentType size sha256 width height tags version createdAt updatedAt\n      altTexts { locale text }\n      focalPoint { x y }\n      original: url\n      watch: url(device: \"watch\")\n      mobile: url(device: \"mobile\")\n      tablet: url(device: \"tablet\")\n      desktop: url(device: \"desktop\")\n      tv: url(device: \"tv\")\n      kiosk: url(device: \"kiosk\")\n    }\n  }\n": types.AssetDetailDocument,
    "\n  mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {\n    updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {\n      id version tags altTexts { locale text } focalPoint { x y }\n    }\n  }\n": types.UpdateAssetDocument,
    "\n  query Audiences { segments { key name rule version updatedAt updatedBy } experiments { key name holdout version arms { key weight } updatedAt\n    primaryMetric guardrailMetrics plannedSampleSize cap { max per timeZone perChannel } } }\n": types.AudiencesDocument,
    "query MetricKeys { metrics { key name } }": types.MetricKeysDocument,
    "query ValidateRule($rule: String!) { validateSegmentRule(rule: $rule) { valid problems { line column message } } }": types.ValidateRuleDocument,
    "mutation CreateSegmentStudio($input: SegmentInput!) { createSegment(input: $input) { key version } }": types.CreateSegmentStudioDocument,
    "mutation UpdateSegmentStudio($input: SegmentInput!, $v: Int!) { updateSegment(input: $input, expectedVersion: $v) { key version } }": types.UpdateSegmentStudioDocument,
    "mutation DeleteSegmentStudio($key: String!) { deleteSegment(key: $key) }": types.DeleteSegmentStudioDocument,
    "mutation CreateExperimentStudio($input: ExperimentInput!) { createExperiment(input: $input) { key version } }": types.CreateExperimentStudioDocument,
    "mutation UpdateExperimentStudio($input: ExperimentInput!, $v: Int!) { updateExperiment(input: $input, expectedVersion: $v) { key version } }": types.UpdateExperimentStudioDocument,
    "mutation DeleteExperimentStudio($key: String!) { deleteExperiment(key: $key) }": types.DeleteExperimentStudioDocument,
    "\n  query CampaignList($from: DateTime!, $to: DateTime!) {\n    campaigns(includeArchived: false) {\n      id key name description status timeZone priority channels startsAt endsAt startsAtLocal endsAtLocal\n      stoppedAt stoppedBy version releaseSize nextTransition holdout cap { max per timeZone perChannel }\n      variants { entryId type slug locale blockId variant published }\n      release { entryId locale type slug scheduledVersion }\n    }\n    campaignConflicts(from: $from, to: $to) {\n      entryId type slug blockId locales from to channels reason\n      campaigns { id key } winner { id key }\n    }\n  }\n": types.CampaignListDocument,
    "\n  mutation CreateCampaignStudio($input: CreateCampaignInput!) { createCampaign(input: $input) { id key version } }\n": types.CreateCampaignStudioDocument,
    "\n  mutation ScheduleCampaignLocal($id: ID!, $startsAt: String!, $endsAt: String!, $expectedVersion: Int) {\n    scheduleCampaignLocal(id: $id, startsAt: $startsAt, endsAt: $endsAt, expectedVersion: $expectedVersion) { id status startsAt endsAt version }\n  }\n": types.ScheduleCampaignLocalDocument,
    "mutation LaunchCampaignStudio($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }": types.LaunchCampaignStudioDocument,
    "mutation StopCampaignStudio($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }": types.StopCampaignStudioDocument,
    "\n  mutation DuplicateCampaign($id: ID!, $newKey: String!, $name: String) { duplicateCampaign(id: $id, newKey: $newKey, name: $name) { id key } }\n": types.DuplicateCampaignDocument,
    "mutation ArchiveCampaign($id: ID!) { archiveCampaign(id: $id) { id archived } }": types.ArchiveCampaignDocument,
    "\n  mutation AddToRelease($campaignId: ID!, $entryId: ID!, $locale: String) { addToRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }\n": types.AddToReleaseDocument,
    "\n  mutation RemoveFromRelease($campaignId: ID!, $entryId: ID!, $locale: String) { removeFromRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }\n": types.RemoveFromReleaseDocument,
    "\n  query LaunchDiff($slug: String!, $type: String, $locale: String, $context: ExperienceContext, $from: DateTime!, $to: DateTime!) {\n    experienceDiff(slug: $slug, type: $type, locale: $locale, context: $context, from: $from, to: $to) {\n      slug changed changes { blockId type kind fields before { decision { variant } } after { decision { variant } } }\n    }\n  }\n": types.LaunchDiffDocument,
    "\n  query DraftPick($type: String) { drafts(type: $type, first: 100) { id type slug locale status } }\n": types.DraftPickDocument,
    "\n  query VariantTargeting($id: ID!, $locale: String) { draft(id: $id, locale: $locale) { id fields variants } }\n": types.VariantTargetingDocument,
    "\n  query Locales { locales { default supported { code fallbackChain } } }\n": types.LocalesDocument,
    "\n  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: \"watch\") } }\n": types.PickedAssetDocument,
    "\n  query Drafts($type: String, $locale: String, $first: Int, $after: String, $search: String, $status: EntryStatus, $orderBy: DraftSort) {\n    drafts(type: $type, locale: $locale, first: $first, after: $after, search: $search, status: $status, orderBy: $orderBy) {\n      id type locale slug status version publishedVersion updatedAt updatedBy\n    }\n  }\n": types.DraftsDocument,
    "\n  query Draft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) {\n      id type locale slug fields status version publishedVersion updatedAt updatedBy\n      history { version slug fields publishedAt publishedBy }\n    }\n  }\n": types.DraftDocument,
    "\n  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }\n": types.CreateEntryDocument,
    "\n  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {\n    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }\n  }\n": types.UpdateEntryDocument,
    "\n  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {\n    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n": types.PublishEntryDocument,
    "\n  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }\n": types.UnpublishEntryDocument,
    "\n  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {\n    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n": types.RollbackEntryDocument,
    "\n  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }\n": types.DeleteEntryDocument,
    "\n  query ContentTypesFull {\n    contentTypes {\n      key name kind version\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n": types.ContentTypesFullDocument,
    "\n  query PickEntries($type: String, $locale: String) {\n    drafts(type: $type, locale: $locale, first: 100) { id type slug status }\n  }\n": types.PickEntriesDocument,
    "\n  query PickAssets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType width height thumb: url(device: \"watch\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.PickAssetsDocument,
    "\n  query ContentTypes { contentTypes { key name kind version fields { key kind } } }\n": types.ContentTypesDocument,
    "\n  query ContentType($key: String!) {\n    contentType(key: $key) {\n      key name description kind version jsonSchema updatedAt\n      fields { key name description kind required localized unique list min max pattern values allowedTypes\n        recommend { source by window limit types tags excludePurchased } }\n    }\n  }\n": types.ContentTypeDocument,
    "\n  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }\n": types.CreateContentTypeDocument,
    "\n  mutation DeleteContentType($key: String!, $expectedVersion: Int!) { deleteContentType(key: $key, expectedVersion: $expectedVersion) }\n": types.DeleteContentTypeDocument,
    "\n  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {\n    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {\n      applied\n      contentType { key version }\n      diff {\n        changes entriesAffected\n        added { key changes entriesWithValues destructive needsForce }\n        changed { key changes entriesWithValues destructive needsForce }\n        removed { key changes entriesWithValues destructive needsForce }\n      }\n    }\n  }\n": types.ChangeContentTypeDocument,
    "query ApiKeys { apiKeys(includeRevoked: true) { id name prefix scope channels expiresAt revokedAt revokedBy lastUsedAt createdAt createdBy } }": types.ApiKeysDocument,
    "mutation CreateApiKeyStudio($input: CreateAPIKeyInput!) { createAPIKey(input: $input) { key apiKey { id name } } }": types.CreateApiKeyStudioDocument,
    "mutation RevokeApiKeyStudio($id: ID!) { revokeAPIKey(id: $id) { id revokedAt } }": types.RevokeApiKeyStudioDocument,
    "\n  query AuditLog($after: String, $filter: AuditFilter) {\n    auditLog(first: 100, after: $after, filter: $filter) {\n      nodes { id at actor actorKind actorRole action entityType entityId beforeVersion afterVersion requestId detail }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AuditLogDocument,
    "query Users { users { id email role disabled version lastLoginAt createdAt } }": types.UsersDocument,
    "mutation CreateUserStudio($input: CreateUserInput!) { createUser(input: $input) { id } }": types.CreateUserStudioDocument,
    "mutation UpdateUserStudio($id: ID!, $input: UpdateUserInput!, $v: Int!) { updateUser(id: $id, input: $input, expectedVersion: $v) { id role disabled version } }": types.UpdateUserStudioDocument,
    "\n  query Webhooks($status: WebhookDeliveryStatus, $after: String) {\n    webhookEndpoints { id url description eventTypes createdAt createdBy }\n    webhookDeliveries(status: $status, first: 200, after: $after) {\n      nodes { id endpointId eventId eventType status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError createdAt\n        log { attempt at durationMs statusCode error } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.WebhooksDocument,
    "mutation CreateWebhookStudio($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url } } }": types.CreateWebhookStudioDocument,
    "mutation DeleteWebhookStudio($id: ID!) { deleteWebhookEndpoint(id: $id) }": types.DeleteWebhookStudioDocument,
    "mutation RedeliverStudio($id: ID!) { redeliverWebhook(deliveryId: $id) { id status nextAttemptAt } }": types.RedeliverStudioDocument,
    "\n  query PreviewEntry($slug: String!, $type: String, $locale: String, $context: ExperienceContext) {\n    entry(slug: $slug, type: $type, locale: $locale, context: $context) {\n      id type slug locale version publishedAt fields\n      decision { variant reason experiment arm campaign { key } }\n      blocks { id type fields globalId decision { variant reason experiment arm campaign { key } } }\n    }\n  }\n": types.PreviewEntryDocument,
    "\n  query ExplainBlock($slug: String!, $type: String, $locale: String, $blockId: String, $context: ExperienceContext) {\n    explainDecision(slug: $slug, type: $type, locale: $locale, blockId: $blockId, context: $context) {\n      blockId segments decision { variant reason } variants { variant matched chosen reasons }\n    }\n  }\n": types.ExplainBlockDocument,
    "\n  query PreviewChoices { drafts(first: 100) { id type slug locale } segments { key } campaigns { key name startsAt timeZone } }\n": types.PreviewChoicesDocument,
    "\n  query ReportExperiments { experiments { key name status startedAt stoppedAt winner coverage arms { key weight } } }\n": types.ReportExperimentsDocument,
    "\n  query ReportExperiment($key: String!) {\n    experiment(key: $key) {\n      key name status startedAt stoppedAt winner coverage holdout version arms { key weight }\n      primaryMetric guardrailMetrics plannedSampleSize rollout { entryId locale version }\n    }\n    metrics { key name kind event conversionWindow goal guardrail }\n  }\n": types.ReportExperimentDocument,
    "\n  query ReportExperimentResults($key: String!, $metric: String!, $from: DateTime, $to: DateTime, $alpha: Float, $sequential: Boolean, $breakdown: [ExperimentBreakdown!]) {\n    experimentResults(key: $key, metric: $metric, from: $from, to: $to, alpha: $alpha, sequential: $sequential, breakdown: $breakdown) {\n      experiment visitors computedAt alpha sequential multipleExposures multipleExposureShare\n      metric { key name kind goal conversionWindow }\n      arms { key visitors conversions total rate lift ciLow ciHigh pValue chanceToWin expectedLoss reason }\n      srm { pValue warning tooFewUnits expectedShare observedShare }\n      daily { day arms { key visitors conversions rate cumulativeVisitors cumulativeRate } }\n      breakdowns { dimension cells { value visitors arms { key visitors conversions rate lift ciLow ciHigh pValue chanceToWin reason } srm { warning pValue } } }\n    }\n  }\n": types.ReportExperimentResultsDocument,
    "\n  query ReportEligibility($key: String!, $from: DateTime!, $to: DateTime!) {\n    experimentEligibility(key: $key, from: $from, to: $to) {\n      scanned computedAt blocks { entryId blockId exposed taken bySegment byContext byCampaign }\n    }\n  }\n": types.ReportEligibilityDocument,
    "\n  mutation ReportStartExperiment($key: String!) { startExperiment(key: $key) { key status startedAt } }\n": types.ReportStartExperimentDocument,
    "\n  mutation ReportStopExperiment($key: String!, $winner: String, $rollout: Boolean) {\n    stopExperiment(key: $key, winner: $winner, rollout: $rollout) { key status stoppedAt winner rollout { entryId locale version } }\n  }\n": types.ReportStopExperimentDocument,
    "\n  query ReportCampaigns { campaigns(includeArchived: false) { key name status } metrics { key event } }\n": types.ReportCampaignsDocument,
    "\n  query ReportCampaign($key: String!, $from: DateTime, $to: DateTime, $event: String, $window: String) {\n    campaignReport(key: $key, from: $from, to: $to, event: $event, window: $window) {\n      campaign reach event window computedAt cpa roas\n      cost { amount currency }\n      variants { key reach exposures }\n      devices { key reach exposures }\n      channels { key reach exposures }\n      outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor }\n      holdout\n      lift {\n        observedHoldoutShare note\n        exposed { visitors conversions conversionRate revenue revenuePerVisitor }\n        heldOut { visitors conversions conversionRate revenue revenuePerVisitor }\n        conversionRate { lift ciLow ciHigh pValue significant reason }\n        revenuePerVisitor { lift ciLow ciHigh pValue significant reason }\n        srm { pValue warning }\n      }\n    }\n  }\n": types.ReportCampaignDocument,
    "\n  query ReportKpis($from: DateTime, $to: DateTime, $goal: String) {\n    byDevice: kpis(from: $from, to: $to, goal: $goal, breakdown: [DEVICE]) {\n      from to goal computedAt\n      total { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n    }\n    byChannel: kpis(from: $from, to: $to, goal: $goal, breakdown: [CHANNEL]) {\n      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n    }\n  }\n": types.ReportKpisDocument,
    "\n  query ReportFunnel($steps: [String!]!, $window: String, $from: DateTime, $to: DateTime, $breakdown: [KpiDimension!]) {\n    funnel(steps: $steps, window: $window, from: $from, to: $to, breakdown: $breakdown) {\n      steps window from to scanned computedAt\n      total { people crossDevice crossDeviceShare steps { index event people crossDevice conversionRate stepRate dropOff dropOffRate medianSecondsFromPrevious } }\n      groups { device channel locale people crossDevice crossDeviceShare steps { index event people conversionRate dropOff } }\n    }\n  }\n": types.ReportFunnelDocument,
    "\n  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }\n": types.ScreenFleetDocument,
    "mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }": types.ForgetScreenDocument,
    "\n  query VariantDraft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) { id type slug locale fields variants version status }\n    segments { key }\n    experiments { key arms { key } }\n    campaigns { key priority status }\n  }\n": types.VariantDraftDocument,
    "\n  mutation UpsertVariantStudio($entryId: ID!, $locale: String, $blockId: String, $input: VariantInput!, $expectedVersion: Int!) {\n    upsertVariant(entryId: $entryId, locale: $locale, blockId: $blockId, input: $input, expectedVersion: $expectedVersion) { id version }\n  }\n": types.UpsertVariantStudioDocument,
    "\n  mutation RemoveVariantStudio($entryId: ID!, $locale: String, $blockId: String, $key: String!, $expectedVersion: Int!) {\n    removeVariant(entryId: $entryId, locale: $locale, blockId: $blockId, key: $key, expectedVersion: $expectedVersion) { id version }\n  }\n": types.RemoveVariantStudioDocument,
    "\n  query VariantEntries { drafts(first: 100) { id type slug locale status } }\n": types.VariantEntriesDocument,
    "\n  query Me { me { subject kind role permissions expiresAt } }\n": types.MeDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token }\n  }\n": types.LoginDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Assets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType size width height tags thumb: url(device: \"mobile\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').AssetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssetDetail($id: ID!) {\n    asset(id: $id) {\n      id filename contentType size sha256 width height tags version createdAt updatedAt\n      altTexts { locale text }\n      focalPoint { x y }\n      original: url\n      watch: url(device: \"watch\")\n      mobile: url(device: \"mobile\")\n      tablet: url(device: \"tablet\")\n      desktop: url(device: \"desktop\")\n      tv: url(device: \"tv\")\n      kiosk: url(device: \"kiosk\")\n    }\n  }\n"): typeof import('./graphql').AssetDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {\n    updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {\n      id version tags altTexts { locale text } focalPoint { x y }\n    }\n  }\n"): typeof import('./graphql').UpdateAssetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Audiences { segments { key name rule version updatedAt updatedBy } experiments { key name holdout version arms { key weight } updatedAt\n    primaryMetric guardrailMetrics plannedSampleSize cap { max per timeZone perChannel } } }\n"): typeof import('./graphql').AudiencesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MetricKeys { metrics { key name } }"): typeof import('./graphql').MetricKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ValidateRule($rule: String!) { validateSegmentRule(rule: $rule) { valid problems { line column message } } }"): typeof import('./graphql').ValidateRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateSegmentStudio($input: SegmentInput!) { createSegment(input: $input) { key version } }"): typeof import('./graphql').CreateSegmentStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateSegmentStudio($input: SegmentInput!, $v: Int!) { updateSegment(input: $input, expectedVersion: $v) { key version } }"): typeof import('./graphql').UpdateSegmentStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteSegmentStudio($key: String!) { deleteSegment(key: $key) }"): typeof import('./graphql').DeleteSegmentStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateExperimentStudio($input: ExperimentInput!) { createExperiment(input: $input) { key version } }"): typeof import('./graphql').CreateExperimentStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateExperimentStudio($input: ExperimentInput!, $v: Int!) { updateExperiment(input: $input, expectedVersion: $v) { key version } }"): typeof import('./graphql').UpdateExperimentStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteExperimentStudio($key: String!) { deleteExperiment(key: $key) }"): typeof import('./graphql').DeleteExperimentStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignList($from: DateTime!, $to: DateTime!) {\n    campaigns(includeArchived: false) {\n      id key name description status timeZone priority channels startsAt endsAt startsAtLocal endsAtLocal\n      stoppedAt stoppedBy version releaseSize nextTransition holdout cap { max per timeZone perChannel }\n      variants { entryId type slug locale blockId variant published }\n      release { entryId locale type slug scheduledVersion }\n    }\n    campaignConflicts(from: $from, to: $to) {\n      entryId type slug blockId locales from to channels reason\n      campaigns { id key } winner { id key }\n    }\n  }\n"): typeof import('./graphql').CampaignListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCampaignStudio($input: CreateCampaignInput!) { createCampaign(input: $input) { id key version } }\n"): typeof import('./graphql').CreateCampaignStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ScheduleCampaignLocal($id: ID!, $startsAt: String!, $endsAt: String!, $expectedVersion: Int) {\n    scheduleCampaignLocal(id: $id, startsAt: $startsAt, endsAt: $endsAt, expectedVersion: $expectedVersion) { id status startsAt endsAt version }\n  }\n"): typeof import('./graphql').ScheduleCampaignLocalDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LaunchCampaignStudio($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }"): typeof import('./graphql').LaunchCampaignStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StopCampaignStudio($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }"): typeof import('./graphql').StopCampaignStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DuplicateCampaign($id: ID!, $newKey: String!, $name: String) { duplicateCampaign(id: $id, newKey: $newKey, name: $name) { id key } }\n"): typeof import('./graphql').DuplicateCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ArchiveCampaign($id: ID!) { archiveCampaign(id: $id) { id archived } }"): typeof import('./graphql').ArchiveCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToRelease($campaignId: ID!, $entryId: ID!, $locale: String) { addToRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }\n"): typeof import('./graphql').AddToReleaseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromRelease($campaignId: ID!, $entryId: ID!, $locale: String) { removeFromRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }\n"): typeof import('./graphql').RemoveFromReleaseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LaunchDiff($slug: String!, $type: String, $locale: String, $context: ExperienceContext, $from: DateTime!, $to: DateTime!) {\n    experienceDiff(slug: $slug, type: $type, locale: $locale, context: $context, from: $from, to: $to) {\n      slug changed changes { blockId type kind fields before { decision { variant } } after { decision { variant } } }\n    }\n  }\n"): typeof import('./graphql').LaunchDiffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DraftPick($type: String) { drafts(type: $type, first: 100) { id type slug locale status } }\n"): typeof import('./graphql').DraftPickDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VariantTargeting($id: ID!, $locale: String) { draft(id: $id, locale: $locale) { id fields variants } }\n"): typeof import('./graphql').VariantTargetingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Locales { locales { default supported { code fallbackChain } } }\n"): typeof import('./graphql').LocalesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: \"watch\") } }\n"): typeof import('./graphql').PickedAssetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Drafts($type: String, $locale: String, $first: Int, $after: String, $search: String, $status: EntryStatus, $orderBy: DraftSort) {\n    drafts(type: $type, locale: $locale, first: $first, after: $after, search: $search, status: $status, orderBy: $orderBy) {\n      id type locale slug status version publishedVersion updatedAt updatedBy\n    }\n  }\n"): typeof import('./graphql').DraftsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Draft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) {\n      id type locale slug fields status version publishedVersion updatedAt updatedBy\n      history { version slug fields publishedAt publishedBy }\n    }\n  }\n"): typeof import('./graphql').DraftDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }\n"): typeof import('./graphql').CreateEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {\n    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }\n  }\n"): typeof import('./graphql').UpdateEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {\n    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n"): typeof import('./graphql').PublishEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }\n"): typeof import('./graphql').UnpublishEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {\n    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n"): typeof import('./graphql').RollbackEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }\n"): typeof import('./graphql').DeleteEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentTypesFull {\n    contentTypes {\n      key name kind version\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n"): typeof import('./graphql').ContentTypesFullDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickEntries($type: String, $locale: String) {\n    drafts(type: $type, locale: $locale, first: 100) { id type slug status }\n  }\n"): typeof import('./graphql').PickEntriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickAssets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType width height thumb: url(device: \"watch\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').PickAssetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentTypes { contentTypes { key name kind version fields { key kind } } }\n"): typeof import('./graphql').ContentTypesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentType($key: String!) {\n    contentType(key: $key) {\n      key name description kind version jsonSchema updatedAt\n      fields { key name description kind required localized unique list min max pattern values allowedTypes\n        recommend { source by window limit types tags excludePurchased } }\n    }\n  }\n"): typeof import('./graphql').ContentTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }\n"): typeof import('./graphql').CreateContentTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteContentType($key: String!, $expectedVersion: Int!) { deleteContentType(key: $key, expectedVersion: $expectedVersion) }\n"): typeof import('./graphql').DeleteContentTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {\n    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {\n      applied\n      contentType { key version }\n      diff {\n        changes entriesAffected\n        added { key changes entriesWithValues destructive needsForce }\n        changed { key changes entriesWithValues destructive needsForce }\n        removed { key changes entriesWithValues destructive needsForce }\n      }\n    }\n  }\n"): typeof import('./graphql').ChangeContentTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ApiKeys { apiKeys(includeRevoked: true) { id name prefix scope channels expiresAt revokedAt revokedBy lastUsedAt createdAt createdBy } }"): typeof import('./graphql').ApiKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateApiKeyStudio($input: CreateAPIKeyInput!) { createAPIKey(input: $input) { key apiKey { id name } } }"): typeof import('./graphql').CreateApiKeyStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeApiKeyStudio($id: ID!) { revokeAPIKey(id: $id) { id revokedAt } }"): typeof import('./graphql').RevokeApiKeyStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($after: String, $filter: AuditFilter) {\n    auditLog(first: 100, after: $after, filter: $filter) {\n      nodes { id at actor actorKind actorRole action entityType entityId beforeVersion afterVersion requestId detail }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').AuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Users { users { id email role disabled version lastLoginAt createdAt } }"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateUserStudio($input: CreateUserInput!) { createUser(input: $input) { id } }"): typeof import('./graphql').CreateUserStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateUserStudio($id: ID!, $input: UpdateUserInput!, $v: Int!) { updateUser(id: $id, input: $input, expectedVersion: $v) { id role disabled version } }"): typeof import('./graphql').UpdateUserStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Webhooks($status: WebhookDeliveryStatus, $after: String) {\n    webhookEndpoints { id url description eventTypes createdAt createdBy }\n    webhookDeliveries(status: $status, first: 200, after: $after) {\n      nodes { id endpointId eventId eventType status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError createdAt\n        log { attempt at durationMs statusCode error } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').WebhooksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateWebhookStudio($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url } } }"): typeof import('./graphql').CreateWebhookStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteWebhookStudio($id: ID!) { deleteWebhookEndpoint(id: $id) }"): typeof import('./graphql').DeleteWebhookStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RedeliverStudio($id: ID!) { redeliverWebhook(deliveryId: $id) { id status nextAttemptAt } }"): typeof import('./graphql').RedeliverStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewEntry($slug: String!, $type: String, $locale: String, $context: ExperienceContext) {\n    entry(slug: $slug, type: $type, locale: $locale, context: $context) {\n      id type slug locale version publishedAt fields\n      decision { variant reason experiment arm campaign { key } }\n      blocks { id type fields globalId decision { variant reason experiment arm campaign { key } } }\n    }\n  }\n"): typeof import('./graphql').PreviewEntryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplainBlock($slug: String!, $type: String, $locale: String, $blockId: String, $context: ExperienceContext) {\n    explainDecision(slug: $slug, type: $type, locale: $locale, blockId: $blockId, context: $context) {\n      blockId segments decision { variant reason } variants { variant matched chosen reasons }\n    }\n  }\n"): typeof import('./graphql').ExplainBlockDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewChoices { drafts(first: 100) { id type slug locale } segments { key } campaigns { key name startsAt timeZone } }\n"): typeof import('./graphql').PreviewChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportExperiments { experiments { key name status startedAt stoppedAt winner coverage arms { key weight } } }\n"): typeof import('./graphql').ReportExperimentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportExperiment($key: String!) {\n    experiment(key: $key) {\n      key name status startedAt stoppedAt winner coverage holdout version arms { key weight }\n      primaryMetric guardrailMetrics plannedSampleSize rollout { entryId locale version }\n    }\n    metrics { key name kind event conversionWindow goal guardrail }\n  }\n"): typeof import('./graphql').ReportExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportExperimentResults($key: String!, $metric: String!, $from: DateTime, $to: DateTime, $alpha: Float, $sequential: Boolean, $breakdown: [ExperimentBreakdown!]) {\n    experimentResults(key: $key, metric: $metric, from: $from, to: $to, alpha: $alpha, sequential: $sequential, breakdown: $breakdown) {\n      experiment visitors computedAt alpha sequential multipleExposures multipleExposureShare\n      metric { key name kind goal conversionWindow }\n      arms { key visitors conversions total rate lift ciLow ciHigh pValue chanceToWin expectedLoss reason }\n      srm { pValue warning tooFewUnits expectedShare observedShare }\n      daily { day arms { key visitors conversions rate cumulativeVisitors cumulativeRate } }\n      breakdowns { dimension cells { value visitors arms { key visitors conversions rate lift ciLow ciHigh pValue chanceToWin reason } srm { warning pValue } } }\n    }\n  }\n"): typeof import('./graphql').ReportExperimentResultsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportEligibility($key: String!, $from: DateTime!, $to: DateTime!) {\n    experimentEligibility(key: $key, from: $from, to: $to) {\n      scanned computedAt blocks { entryId blockId exposed taken bySegment byContext byCampaign }\n    }\n  }\n"): typeof import('./graphql').ReportEligibilityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportStartExperiment($key: String!) { startExperiment(key: $key) { key status startedAt } }\n"): typeof import('./graphql').ReportStartExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportStopExperiment($key: String!, $winner: String, $rollout: Boolean) {\n    stopExperiment(key: $key, winner: $winner, rollout: $rollout) { key status stoppedAt winner rollout { entryId locale version } }\n  }\n"): typeof import('./graphql').ReportStopExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportCampaigns { campaigns(includeArchived: false) { key name status } metrics { key event } }\n"): typeof import('./graphql').ReportCampaignsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportCampaign($key: String!, $from: DateTime, $to: DateTime, $event: String, $window: String) {\n    campaignReport(key: $key, from: $from, to: $to, event: $event, window: $window) {\n      campaign reach event window computedAt cpa roas\n      cost { amount currency }\n      variants { key reach exposures }\n      devices { key reach exposures }\n      channels { key reach exposures }\n      outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor }\n      holdout\n      lift {\n        observedHoldoutShare note\n        exposed { visitors conversions conversionRate revenue revenuePerVisitor }\n        heldOut { visitors conversions conversionRate revenue revenuePerVisitor }\n        conversionRate { lift ciLow ciHigh pValue significant reason }\n        revenuePerVisitor { lift ciLow ciHigh pValue significant reason }\n        srm { pValue warning }\n      }\n    }\n  }\n"): typeof import('./graphql').ReportCampaignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportKpis($from: DateTime, $to: DateTime, $goal: String) {\n    byDevice: kpis(from: $from, to: $to, goal: $goal, breakdown: [DEVICE]) {\n      from to goal computedAt\n      total { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n    }\n    byChannel: kpis(from: $from, to: $to, goal: $goal, breakdown: [CHANNEL]) {\n      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }\n    }\n  }\n"): typeof import('./graphql').ReportKpisDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportFunnel($steps: [String!]!, $window: String, $from: DateTime, $to: DateTime, $breakdown: [KpiDimension!]) {\n    funnel(steps: $steps, window: $window, from: $from, to: $to, breakdown: $breakdown) {\n      steps window from to scanned computedAt\n      total { people crossDevice crossDeviceShare steps { index event people crossDevice conversionRate stepRate dropOff dropOffRate medianSecondsFromPrevious } }\n      groups { device channel locale people crossDevice crossDeviceShare steps { index event people conversionRate dropOff } }\n    }\n  }\n"): typeof import('./graphql').ReportFunnelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }\n"): typeof import('./graphql').ScreenFleetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }"): typeof import('./graphql').ForgetScreenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VariantDraft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) { id type slug locale fields variants version status }\n    segments { key }\n    experiments { key arms { key } }\n    campaigns { key priority status }\n  }\n"): typeof import('./graphql').VariantDraftDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpsertVariantStudio($entryId: ID!, $locale: String, $blockId: String, $input: VariantInput!, $expectedVersion: Int!) {\n    upsertVariant(entryId: $entryId, locale: $locale, blockId: $blockId, input: $input, expectedVersion: $expectedVersion) { id version }\n  }\n"): typeof import('./graphql').UpsertVariantStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveVariantStudio($entryId: ID!, $locale: String, $blockId: String, $key: String!, $expectedVersion: Int!) {\n    removeVariant(entryId: $entryId, locale: $locale, blockId: $blockId, key: $key, expectedVersion: $expectedVersion) { id version }\n  }\n"): typeof import('./graphql').RemoveVariantStudioDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VariantEntries { drafts(first: 100) { id type slug locale status } }\n"): typeof import('./graphql').VariantEntriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { subject kind role permissions expiresAt } }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token }\n  }\n"): typeof import('./graphql').LoginDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
