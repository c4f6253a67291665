/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  query Campaigns { campaigns { id key name status timeZone startsAt endsAt channels releaseSize } }\n": typeof types.CampaignsDocument,
    "mutation LaunchCampaign($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }": typeof types.LaunchCampaignDocument,
    "mutation StopCampaign($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }": typeof types.StopCampaignDocument,
    "\n  query Locales { locales { default supported { code fallbackChain } } }\n": typeof types.LocalesDocument,
    "\n  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: \"watch\") } }\n": typeof types.PickedAssetDocument,
    "\n  query Drafts($type: String, $locale: String, $first: Int, $after: String) {\n    drafts(type: $type, locale: $locale, first: $first, after: $after) {\n      id type locale slug status version publishedVersion updatedAt updatedBy\n    }\n  }\n": typeof types.DraftsDocument,
    "\n  query SearchEntries($query: String!, $type: String, $locale: String, $after: String) {\n    search(query: $query, type: $type, locale: $locale, first: 20, after: $after) {\n      total\n      hits { cursor entry { id slug type locale } highlights { field fragments } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SearchEntriesDocument,
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
    "\n  query ContentType($key: String!) {\n    contentType(key: $key) {\n      key name description kind version jsonSchema updatedAt\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n": typeof types.ContentTypeDocument,
    "\n  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }\n": typeof types.CreateContentTypeDocument,
    "\n  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {\n    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {\n      applied\n      contentType { key version }\n      diff {\n        changes entriesAffected\n        added { key changes entriesWithValues destructive needsForce }\n        changed { key changes entriesWithValues destructive needsForce }\n        removed { key changes entriesWithValues destructive needsForce }\n      }\n    }\n  }\n": typeof types.ChangeContentTypeDocument,
    "\n  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }\n": typeof types.ScreenFleetDocument,
    "mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }": typeof types.ForgetScreenDocument,
    "\n  query Me { me { subject kind role permissions expiresAt } }\n": typeof types.MeDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token }\n  }\n": typeof types.LoginDocument,
};
const documents: Documents = {
    "\n  query Assets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType size width height tags thumb: url(device: \"mobile\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AssetsDocument,
    "\n  query AssetDetail($id: ID!) {\n    asset(id: $id) {\n      id filename contentType size sha256 width height tags version createdAt updatedAt\n      altTexts { locale text }\n      focalPoint { x y }\n      original: url\n      watch: url(device: \"watch\")\n      mobile: url(device: \"mobile\")\n      tablet: url(device: \"tablet\")\n      desktop: url(device: \"desktop\")\n      tv: url(device: \"tv\")\n      kiosk: url(device: \"kiosk\")\n    }\n  }\n": types.AssetDetailDocument,
    "\n  mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {\n    updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {\n      id version tags altTexts { locale text } focalPoint { x y }\n    }\n  }\n": types.UpdateAssetDocument,
    "\n  query Campaigns { campaigns { id key name status timeZone startsAt endsAt channels releaseSize } }\n": types.CampaignsDocument,
    "mutation LaunchCampaign($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }": types.LaunchCampaignDocument,
    "mutation StopCampaign($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }": types.StopCampaignDocument,
    "\n  query Locales { locales { default supported { code fallbackChain } } }\n": types.LocalesDocument,
    "\n  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: \"watch\") } }\n": types.PickedAssetDocument,
    "\n  query Drafts($type: String, $locale: String, $first: Int, $after: String) {\n    drafts(type: $type, locale: $locale, first: $first, after: $after) {\n      id type locale slug status version publishedVersion updatedAt updatedBy\n    }\n  }\n": types.DraftsDocument,
    "\n  query SearchEntries($query: String!, $type: String, $locale: String, $after: String) {\n    search(query: $query, type: $type, locale: $locale, first: 20, after: $after) {\n      total\n      hits { cursor entry { id slug type locale } highlights { field fragments } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SearchEntriesDocument,
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
    "\n  query ContentType($key: String!) {\n    contentType(key: $key) {\n      key name description kind version jsonSchema updatedAt\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n": types.ContentTypeDocument,
    "\n  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }\n": types.CreateContentTypeDocument,
    "\n  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {\n    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {\n      applied\n      contentType { key version }\n      diff {\n        changes entriesAffected\n        added { key changes entriesWithValues destructive needsForce }\n        changed { key changes entriesWithValues destructive needsForce }\n        removed { key changes entriesWithValues destructive needsForce }\n      }\n    }\n  }\n": types.ChangeContentTypeDocument,
    "\n  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }\n": types.ScreenFleetDocument,
    "mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }": types.ForgetScreenDocument,
    "\n  query Me { me { subject kind role permissions expiresAt } }\n": types.MeDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token }\n  }\n": types.LoginDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Assets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType size width height tags thumb: url(device: \"mobile\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Assets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType size width height tags thumb: url(device: \"mobile\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssetDetail($id: ID!) {\n    asset(id: $id) {\n      id filename contentType size sha256 width height tags version createdAt updatedAt\n      altTexts { locale text }\n      focalPoint { x y }\n      original: url\n      watch: url(device: \"watch\")\n      mobile: url(device: \"mobile\")\n      tablet: url(device: \"tablet\")\n      desktop: url(device: \"desktop\")\n      tv: url(device: \"tv\")\n      kiosk: url(device: \"kiosk\")\n    }\n  }\n"): (typeof documents)["\n  query AssetDetail($id: ID!) {\n    asset(id: $id) {\n      id filename contentType size sha256 width height tags version createdAt updatedAt\n      altTexts { locale text }\n      focalPoint { x y }\n      original: url\n      watch: url(device: \"watch\")\n      mobile: url(device: \"mobile\")\n      tablet: url(device: \"tablet\")\n      desktop: url(device: \"desktop\")\n      tv: url(device: \"tv\")\n      kiosk: url(device: \"kiosk\")\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {\n    updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {\n      id version tags altTexts { locale text } focalPoint { x y }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {\n    updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {\n      id version tags altTexts { locale text } focalPoint { x y }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Campaigns { campaigns { id key name status timeZone startsAt endsAt channels releaseSize } }\n"): (typeof documents)["\n  query Campaigns { campaigns { id key name status timeZone startsAt endsAt channels releaseSize } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LaunchCampaign($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }"): (typeof documents)["mutation LaunchCampaign($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StopCampaign($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }"): (typeof documents)["mutation StopCampaign($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Locales { locales { default supported { code fallbackChain } } }\n"): (typeof documents)["\n  query Locales { locales { default supported { code fallbackChain } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: \"watch\") } }\n"): (typeof documents)["\n  query PickedAsset($id: ID!) { asset(id: $id) { id filename thumb: url(device: \"watch\") } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Drafts($type: String, $locale: String, $first: Int, $after: String) {\n    drafts(type: $type, locale: $locale, first: $first, after: $after) {\n      id type locale slug status version publishedVersion updatedAt updatedBy\n    }\n  }\n"): (typeof documents)["\n  query Drafts($type: String, $locale: String, $first: Int, $after: String) {\n    drafts(type: $type, locale: $locale, first: $first, after: $after) {\n      id type locale slug status version publishedVersion updatedAt updatedBy\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchEntries($query: String!, $type: String, $locale: String, $after: String) {\n    search(query: $query, type: $type, locale: $locale, first: 20, after: $after) {\n      total\n      hits { cursor entry { id slug type locale } highlights { field fragments } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query SearchEntries($query: String!, $type: String, $locale: String, $after: String) {\n    search(query: $query, type: $type, locale: $locale, first: 20, after: $after) {\n      total\n      hits { cursor entry { id slug type locale } highlights { field fragments } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Draft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) {\n      id type locale slug fields status version publishedVersion updatedAt updatedBy\n      history { version slug fields publishedAt publishedBy }\n    }\n  }\n"): (typeof documents)["\n  query Draft($id: ID!, $locale: String) {\n    draft(id: $id, locale: $locale) {\n      id type locale slug fields status version publishedVersion updatedAt updatedBy\n      history { version slug fields publishedAt publishedBy }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }\n"): (typeof documents)["\n  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {\n    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }\n  }\n"): (typeof documents)["\n  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {\n    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {\n    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n"): (typeof documents)["\n  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {\n    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }\n"): (typeof documents)["\n  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {\n    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n"): (typeof documents)["\n  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {\n    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }\n"): (typeof documents)["\n  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentTypesFull {\n    contentTypes {\n      key name kind version\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n"): (typeof documents)["\n  query ContentTypesFull {\n    contentTypes {\n      key name kind version\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickEntries($type: String, $locale: String) {\n    drafts(type: $type, locale: $locale, first: 100) { id type slug status }\n  }\n"): (typeof documents)["\n  query PickEntries($type: String, $locale: String) {\n    drafts(type: $type, locale: $locale, first: 100) { id type slug status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickAssets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType width height thumb: url(device: \"watch\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query PickAssets($tag: String, $after: String) {\n    assets(first: 24, tag: $tag, after: $after) {\n      nodes { id filename contentType width height thumb: url(device: \"watch\") }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentTypes { contentTypes { key name kind version fields { key kind } } }\n"): (typeof documents)["\n  query ContentTypes { contentTypes { key name kind version fields { key kind } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentType($key: String!) {\n    contentType(key: $key) {\n      key name description kind version jsonSchema updatedAt\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n"): (typeof documents)["\n  query ContentType($key: String!) {\n    contentType(key: $key) {\n      key name description kind version jsonSchema updatedAt\n      fields { key name description kind required localized unique list min max pattern values allowedTypes }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }\n"): (typeof documents)["\n  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {\n    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {\n      applied\n      contentType { key version }\n      diff {\n        changes entriesAffected\n        added { key changes entriesWithValues destructive needsForce }\n        changed { key changes entriesWithValues destructive needsForce }\n        removed { key changes entriesWithValues destructive needsForce }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {\n    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {\n      applied\n      contentType { key version }\n      diff {\n        changes entriesAffected\n        added { key changes entriesWithValues destructive needsForce }\n        changed { key changes entriesWithValues destructive needsForce }\n        removed { key changes entriesWithValues destructive needsForce }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }\n"): (typeof documents)["\n  query ScreenFleet { screenFleet(first: 500) { screenId screen channel device locale client bundleVersion currentVersion clockOffsetMs lastSeenAt state } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }"): (typeof documents)["mutation ForgetScreen($id: String!) { forgetScreen(screenId: $id) }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { subject kind role permissions expiresAt } }\n"): (typeof documents)["\n  query Me { me { subject kind role permissions expiresAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;