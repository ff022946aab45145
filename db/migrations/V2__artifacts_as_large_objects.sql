-- Model bundles reach several GB: artifacts move from bytea (whole value in memory, 1 GB cap) to
-- PostgreSQL large objects, written and read as streams. The digest stays the key.

alter table artifacts add column content_oid oid;
update artifacts set content_oid = lo_from_bytea(0, content);
alter table artifacts alter column content_oid set not null;
alter table artifacts drop column content;
