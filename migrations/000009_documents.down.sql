DROP TABLE IF EXISTS graphql_documents;
