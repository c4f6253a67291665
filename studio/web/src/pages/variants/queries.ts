// The variants panel's GraphQL documents.
import { doc, graphql } from '../../api/doc';

export const VariantDraftDoc = doc(graphql(`
  query VariantDraft($id: ID!, $locale: String) {
    draft(id: $id, locale: $locale) { id type slug locale fields variants version status }
    segments { key }
    experiments { key arms { key } }
    campaigns { key priority status }
  }
`));
export const UpsertVariantDoc = doc(graphql(`
  mutation UpsertVariantStudio($entryId: ID!, $locale: String, $blockId: String, $input: VariantInput!, $expectedVersion: Int!) {
    upsertVariant(entryId: $entryId, locale: $locale, blockId: $blockId, input: $input, expectedVersion: $expectedVersion) { id version }
  }
`));
export const RemoveVariantDoc = doc(graphql(`
  mutation RemoveVariantStudio($entryId: ID!, $locale: String, $blockId: String, $key: String!, $expectedVersion: Int!) {
    removeVariant(entryId: $entryId, locale: $locale, blockId: $blockId, key: $key, expectedVersion: $expectedVersion) { id version }
  }
`));
export const VariantEntriesDoc = doc(graphql(`
  query VariantEntries { drafts(first: 100) { id type slug locale status } }
`));
