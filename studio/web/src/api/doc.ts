// The app's GraphQL documents, as text. Codegen (documentMode 'string')
// types each graphql(`...`) call by its exact text; at run time graphql is
// the identity, so no page imports src/gql's table of every document (whose
// keys alone repeat each text) and a document costs its own text once, in
// the chunk of the page that uses it. urql parses a document the first time
// it is sent. No document uses fragments, so its text is the whole document.
import type { DocumentTypeDecoration, TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { graphql as typed } from '../gql';

export const graphql = ((source: string) => source) as unknown as typeof typed;

// doc gives urql a document with the result and variables types codegen
// generated for its text (the cast is only for TypeScript: urql takes a
// string document as it is).
export function doc<R, V>(d: DocumentTypeDecoration<R, V>): TypedDocumentNode<R, V> {
  return d.toString() as unknown as TypedDocumentNode<R, V>;
}
