-- GraphQL documents the server executes by id: trusted documents a
-- frontend's build registered ahead (a persisted-query manifest), and
-- automatic persisted queries (APQ) registered by clients at run time.
-- One table, so a hash registered on one replica is known on all.
CREATE TABLE graphql_documents (
    -- What clients send as documentId: the manifest's id, or for APQ the
    -- query's SHA-256 in hex.
    id          text COLLATE "C" PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
    -- SHA-256 (hex) of body: a client sending the full text of a trusted
    -- document is recognised by it.
    sha256      text COLLATE "C" NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 1048576),
    name        text,
    -- trusted: registered ahead by an editor (the only kind accepted from
    -- the public when MOSAIC_TRUSTED_DOCUMENTS=enforce); false: APQ.
    trusted     boolean NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL
);

CREATE INDEX graphql_documents_sha256 ON graphql_documents (sha256);
