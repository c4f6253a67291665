// Types every GraphQL document in src/ from the server's schema
// (../../graph/*.graphqls): `npm run codegen` writes src/gql/, which is
// committed. The client preset turns each graphql(`...`) call into a typed
// document, so a field the schema lacks is a type error, not a runtime null.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../graph/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { JSON: 'any', DateTime: 'string', Upload: 'File' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};
export default config;
