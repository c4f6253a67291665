-- Security: local editor accounts, delivery API keys and the audit log.

-- Editors who sign in with a password (the quick start). Editors from an
-- identity provider (JWKS) need no row here.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    -- argon2id in PHC form: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'publisher', 'editor', 'viewer')),
    disabled      boolean NOT NULL DEFAULT false,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL,
    last_login_at timestamptz,
    CONSTRAINT users_email_key UNIQUE (email)
);

-- Delivery and preview API keys. The key itself is never stored: only its
-- SHA-256. A key carries 256 random bits, so a fast hash is as safe as a
-- slow one against guessing, and it lets a request find its key with one
-- index lookup instead of a password-hash per request.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_hash     bytea NOT NULL CHECK (length(key_hash) = 32),
    -- The key's first characters, shown in lists so people can tell keys apart.
    prefix       text NOT NULL,
    scope        text NOT NULL CHECK (scope IN ('delivery', 'preview')),
    -- Channels the key may ask for; empty means every channel.
    channels     text[] NOT NULL DEFAULT '{}',
    expires_at   timestamptz,
    revoked_at   timestamptz,
    revoked_by   text,
    -- Written in batches (at most every few seconds per replica), not per request.
    last_used_at timestamptz,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL,
    CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash)
);

-- Every management action: who, what, when, and the entity's version before
-- and after. Append-only: the triggers below refuse UPDATE, DELETE and
-- TRUNCATE for every role, the application's included. Only the table's
-- owner could drop them; the access package documentation shows how to run
-- Mosaic as a role that owns nothing and may only INSERT and SELECT here.
CREATE TABLE audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor          text NOT NULL,
    actor_kind     text NOT NULL,
    actor_role     text NOT NULL DEFAULT '',
    -- The management operation, e.g. publishEntry, createAPIKey, login.
    action         text NOT NULL,
    entity_type    text NOT NULL DEFAULT '',
    entity_id      text NOT NULL DEFAULT '',
    before_version integer,
    after_version  integer,
    request_id     text NOT NULL DEFAULT '',
    -- The operation's arguments (secrets redacted) and other facts.
    detail         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
