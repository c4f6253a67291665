import{s as e}from"./index.js";var t=e(`
  query ContentTypes { contentTypes { key name kind version fields { key kind } } }
`),n=e(`
  query ContentType($key: String!) {
    contentType(key: $key) {
      key name description kind version jsonSchema updatedAt
      fields { key name description kind required localized unique list min max pattern values allowedTypes }
    }
  }
`),r=e(`
  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }
`),i=e(`
  mutation DeleteContentType($key: String!, $expectedVersion: Int!) { deleteContentType(key: $key, expectedVersion: $expectedVersion) }
`),a=e(`
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
`);export{t as a,n as i,r as n,i as r,a as t};