import{c as e,s as t}from"./index.js";var n=t(e(`
  query ContentTypes { contentTypes { key name kind version fields { key kind } } }
`)),r=t(e(`
  query ContentType($key: String!) {
    contentType(key: $key) {
      key name description kind version jsonSchema updatedAt
      fields { key name description kind required localized unique list min max pattern values allowedTypes
        recommend { source by window limit types tags excludePurchased } }
    }
  }
`)),i=t(e(`
  mutation CreateContentType($input: ContentTypeInput!) { createContentType(input: $input) { key version } }
`)),a=t(e(`
  mutation DeleteContentType($key: String!, $expectedVersion: Int!) { deleteContentType(key: $key, expectedVersion: $expectedVersion) }
`)),o=t(e(`
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
`));export{n as a,r as i,i as n,a as r,o as t};