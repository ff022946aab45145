-- The spine's schema: namespaces with hashed keys, content-addressed artifacts, actions, activations.
-- Flyway applies this folder; it is the only place the schema is defined.

create table namespaces (
    name        text primary key,
    uuid        uuid not null unique,
    key_salt    text not null,           -- hex, 16 random bytes
    key_hash    text not null,           -- hex SHA-256 of salt || key
    created_at  timestamptz not null default now()
);

-- Artifacts (jars, model bundles) are stored once by the SHA-256 of their bytes.
create table artifacts (
    digest      char(64) primary key,
    size_bytes  bigint not null,
    content     bytea not null,
    created_at  timestamptz not null default now()
);

create table actions (
    namespace        text not null references namespaces (name) on delete cascade,
    name             text not null,              -- 'name' or 'package/name'
    version          text not null,              -- semver, patch bumped on every update
    kind             text not null,
    main             text,
    artifact_digest  char(64) not null references artifacts (digest),
    "binary"         boolean not null,   -- quoted: a reserved word in PostgreSQL
    parameters       jsonb not null default '[]',
    annotations      jsonb not null default '[]',
    limits           jsonb not null,
    publish          boolean not null default false,
    updated_at       timestamptz not null default now(),
    primary key (namespace, name)
);

create index actions_namespace_updated on actions (namespace, updated_at desc);

-- Activation records as OpenWhisk's JSON document, with the columns list queries filter on.
create table activations (
    activation_id  char(32) primary key,
    namespace      text not null,
    name           text not null,
    start_ms       bigint not null,
    end_ms         bigint not null,
    status_code    smallint not null,
    record         jsonb not null
);

create index activations_namespace_start on activations (namespace, start_ms desc);
create index activations_namespace_name_start on activations (namespace, name, start_ms desc);
