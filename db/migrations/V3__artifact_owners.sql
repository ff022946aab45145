-- Which namespaces stored which artifact content. An action may refer to an artifact by digest
-- (Hearth's streaming upload) only when its namespace uploaded those bytes itself or stored them
-- inline: knowing a digest must not be enough to use, or read back, another namespace's content.

create table artifact_owners (
    namespace  text not null references namespaces (name) on delete cascade,
    digest     char(64) not null references artifacts (digest),
    primary key (namespace, digest)
);

insert into artifact_owners (namespace, digest)
select distinct namespace, artifact_digest from actions;
