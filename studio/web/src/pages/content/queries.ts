// The content pages' GraphQL documents (typed by codegen).
import { doc, graphql } from '../../api/doc';

export const DraftsDoc = doc(graphql(`
  query Drafts($type: String, $locale: String, $first: Int, $after: String, $search: String, $status: EntryStatus, $orderBy: DraftSort) {
    drafts(type: $type, locale: $locale, first: $first, after: $after, search: $search, status: $status, orderBy: $orderBy) {
      id type locale slug status version publishedVersion updatedAt updatedBy
    }
  }
`));

export const DraftDoc = doc(graphql(`
  query Draft($id: ID!, $locale: String) {
    draft(id: $id, locale: $locale) {
      id type locale slug fields status version publishedVersion updatedAt updatedBy
      history { version slug fields publishedAt publishedBy }
    }
  }
`));

export const CreateEntryDoc = doc(graphql(`
  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }
`));

export const UpdateEntryDoc = doc(graphql(`
  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {
    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }
  }
`));

export const PublishEntryDoc = doc(graphql(`
  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {
    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`));

export const UnpublishEntryDoc = doc(graphql(`
  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }
`));

export const RollbackEntryDoc = doc(graphql(`
  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {
    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`));

export const DeleteEntryDoc = doc(graphql(`
  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }
`));

export const TypesFullDoc = doc(graphql(`
  query ContentTypesFull {
    contentTypes {
      key name kind version
      fields { key name description kind required localized unique list min max pattern values allowedTypes }
    }
  }
`));

export const PickEntriesDoc = doc(graphql(`
  query PickEntries($type: String, $locale: String) {
    drafts(type: $type, locale: $locale, first: 100) { id type slug status }
  }
`));

export const PickAssetsDoc = doc(graphql(`
  query PickAssets($tag: String, $after: String) {
    assets(first: 24, tag: $tag, after: $after) {
      nodes { id filename contentType width height thumb: url(device: "watch") }
      pageInfo { hasNextPage endCursor }
    }
  }
`));
