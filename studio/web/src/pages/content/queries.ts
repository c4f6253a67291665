// The content pages' GraphQL documents (typed by codegen).
import { graphql } from '../../gql';

export const DraftsDoc = graphql(`
  query Drafts($type: String, $locale: String, $first: Int, $after: String, $search: String, $status: EntryStatus, $orderBy: DraftSort) {
    drafts(type: $type, locale: $locale, first: $first, after: $after, search: $search, status: $status, orderBy: $orderBy) {
      id type locale slug status version publishedVersion updatedAt updatedBy
    }
  }
`);

export const DraftDoc = graphql(`
  query Draft($id: ID!, $locale: String) {
    draft(id: $id, locale: $locale) {
      id type locale slug fields status version publishedVersion updatedAt updatedBy
      history { version slug fields publishedAt publishedBy }
    }
  }
`);

export const CreateEntryDoc = graphql(`
  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }
`);

export const UpdateEntryDoc = graphql(`
  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {
    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }
  }
`);

export const PublishEntryDoc = graphql(`
  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {
    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`);

export const UnpublishEntryDoc = graphql(`
  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }
`);

export const RollbackEntryDoc = graphql(`
  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {
    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`);

export const DeleteEntryDoc = graphql(`
  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }
`);

export const TypesFullDoc = graphql(`
  query ContentTypesFull {
    contentTypes {
      key name kind version
      fields { key name description kind required localized unique list min max pattern values allowedTypes }
    }
  }
`);

export const PickEntriesDoc = graphql(`
  query PickEntries($type: String, $locale: String) {
    drafts(type: $type, locale: $locale, first: 100) { id type slug status }
  }
`);

export const PickAssetsDoc = graphql(`
  query PickAssets($tag: String, $after: String) {
    assets(first: 24, tag: $tag, after: $after) {
      nodes { id filename contentType width height thumb: url(device: "watch") }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
