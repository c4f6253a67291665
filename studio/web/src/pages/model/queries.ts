// The model page's GraphQL documents (typed by codegen).
import { doc, graphql } from '../../api/doc';

export const TypesDoc = doc(graphql(`
  query ContentTypes { contentTypes { key name kind version fields { key kind } } }
`));

export const TypeDoc = doc(graphql(`
  query ContentType($key: String!) {
    contentType(key: $key) {
      key name description kind version jsonSchema updatedAt
      fields { key name description kind required localized unique list min max pattern values allowedTypes
        recommend { source by window limit types tags excludePurchased } }
    }
  }
`));

export const CreateTypeDoc = doc(graphql(`
  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }
`));

export const DeleteTypeDoc = doc(graphql(`
  mutation DeleteContentType($key: String!, $expectedVersion: Int!) { deleteContentType(key: $key, expectedVersion: $expectedVersion) }
`));

export const ChangeTypeDoc = doc(graphql(`
  mutation ChangeContentType($key: String!, $changes: ContentTypeChangesInput!, $expectedVersion: Int!, $force: [String!], $dryRun: Boolean) {
    changeContentType(key: $key, changes: $changes, expectedVersion: $expectedVersion, force: $force, dryRun: $dryRun) {
      applied
      contentType { key version }
      diff {
        changes entriesAffected
        added { key changes entriesWithValues destructive needsForce }
        changed { key changes entriesWithValues destructive needsForce }
        removed { key changes entriesWithValues destructive needsForce }
      }
    }
  }
`));
