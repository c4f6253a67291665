// Every content type with its fields, for forms that nest (a block's
// fields, a reference's allowed types). Provided once by the entry editor.
import { createContext, useContext } from 'react';
import type { ContentTypesFullQuery } from '../../gql/graphql';

export type FullType = ContentTypesFullQuery['contentTypes'][number];
export const TypesContext = createContext<Map<string, FullType>>(new Map());
export const useTypes = () => useContext(TypesContext);
