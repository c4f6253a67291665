// Every content type with its fields, for forms that nest (a block's
// fields, a reference's allowed types). Provided once by the entry editor.
import { createContext, useContext } from 'react';
import type { ContentTypesFullQuery } from '../../gql/graphql';

export type FullType = ContentTypesFullQuery['contentTypes'][number];
export const TypesContext = createContext<Map<string, FullType>>(new Map());
export const useTypes = () => useContext(TypesContext);

// The saved entry a form edits (id and locale), so a block can link to its
// variants on the Variants page; null while the entry is new.
export type EntryRef = { id: string; locale: string } | null;
export const EntryContext = createContext<EntryRef>(null);
export const useEntryRef = () => useContext(EntryContext);
