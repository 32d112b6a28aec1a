-- What drizzle cannot declare, mirroring the hand-written SQL of the SQLite migrations (db/migrations/*.sql).
-- Every SQLite trigger and virtual table, and what it maps to here:
--
-- db/migrations/0002_personas_fts.sql
--   personas_fts (FTS5 virtual table, external content on personas: narrative, name, occupation)
--     -> personas.search, a tsvector column GENERATED ALWAYS AS (...) STORED over name (weight A), narrative and
--        occupation (weight B), with the GIN index personas_search. SQLite ranks with bm25(personas_fts, 1.0, 2.0, 1.0)
--        (a name match counts double); db/pg/search.ts ranks with ts_rank and the weights {D 0.1, C 0.2, B 0.5, A 1.0}
--        (A twice B). Differences: the english configuration stems words and drops stop words where FTS5 matched
--        prefixes, and it does not fold diacritics (unicode61 remove_diacritics 2 did).
--   personas_fts_ai, personas_fts_ad, personas_fts_au (AFTER INSERT / DELETE / UPDATE OF narrative, name,
--   occupation: keep the index in step with personas)
--     -> nothing: PostgreSQL computes a generated column on every insert and update, and the row carries it.
--   INSERT INTO personas_fts(personas_fts) VALUES ('rebuild')
--     -> nothing: adding a stored generated column computes it for the rows already there.
--   personas_min_critic_ai (AFTER INSERT WHEN quality_scores IS NOT NULL) and personas_min_critic_au (AFTER UPDATE OF
--   quality_scores), which set min_critic_score to the lowest score in quality_scores, and the back-fill UPDATE
--     -> the BEFORE triggers of the same names (same conditions) setting NEW.min_critic_score through
--        personas_min_critic_score(jsonb), and the same back-fill.
--   review_decisions_no_update, review_decisions_no_delete (BEFORE UPDATE / DELETE: RAISE(ABORT, '...'))
--     -> BEFORE UPDATE / DELETE row triggers of the same names raising the same messages (populace_refuse_change,
--        SQLSTATE 23001 restrict_violation, the statement is rolled back); plus review_decisions_no_truncate, since
--        TRUNCATE (which SQLite does not have) skips row triggers.
-- db/migrations/0005_owners_files_audit.sql
--   audit_log_no_update, audit_log_no_delete (BEFORE UPDATE / DELETE: RAISE(ABORT, '...'))
--     -> the same, with audit_log_no_truncate.
-- The other SQLite migrations (0000, 0001, 0003, 0004, 0006, 0007) hold tables, columns and indexes only: db/pg/schema.ts
-- declares them (0000_init.sql).

ALTER TABLE "personas" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('english'::regconfig, coalesce("name", '')), 'A') ||
	setweight(to_tsvector('english'::regconfig, coalesce("narrative", '')), 'B') ||
	setweight(to_tsvector('english'::regconfig, coalesce("occupation", '')), 'B')
) STORED;--> statement-breakpoint
CREATE INDEX "personas_search" ON "personas" USING gin ("search");--> statement-breakpoint

-- min_critic_score follows quality_scores ({ name: { score, reason } }, critic scale 1-10): the lowest score, read as
-- SQLite's CAST(json_extract(value, '$.score') AS REAL) reads it (a number; a string by its leading number, else 0).
CREATE FUNCTION "personas_min_critic_score"(scores jsonb) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT min(CASE jsonb_typeof(e.value -> 'score')
		WHEN 'number' THEN (e.value ->> 'score')::double precision
		WHEN 'string' THEN coalesce(substring(e.value ->> 'score' FROM '^\s*([-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?)')::double precision, 0)
		WHEN 'boolean' THEN CASE WHEN (e.value -> 'score')::boolean THEN 1 ELSE 0 END
	END)
	FROM (
		SELECT value FROM jsonb_each(CASE WHEN jsonb_typeof(scores) = 'object' THEN scores ELSE '{}'::jsonb END)
		UNION ALL
		SELECT value FROM jsonb_array_elements(CASE WHEN jsonb_typeof(scores) = 'array' THEN scores ELSE '[]'::jsonb END)
	) e
$$;--> statement-breakpoint
CREATE FUNCTION "personas_min_critic"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW."min_critic_score" := "personas_min_critic_score"(NEW."quality_scores");
	RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "personas_min_critic_ai" BEFORE INSERT ON "personas"
	FOR EACH ROW WHEN (NEW."quality_scores" IS NOT NULL) EXECUTE FUNCTION "personas_min_critic"();--> statement-breakpoint
CREATE TRIGGER "personas_min_critic_au" BEFORE UPDATE OF "quality_scores" ON "personas"
	FOR EACH ROW EXECUTE FUNCTION "personas_min_critic"();--> statement-breakpoint
UPDATE "personas" SET "min_critic_score" = "personas_min_critic_score"("quality_scores") WHERE "quality_scores" IS NOT NULL;--> statement-breakpoint

-- Append-only tables: the database refuses to change or remove a row. The message is the trigger's first argument.
CREATE FUNCTION "populace_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END
$$;--> statement-breakpoint

-- Review decisions are append-only: decisions are never changed or deleted.
CREATE TRIGGER "review_decisions_no_update" BEFORE UPDATE ON "review_decisions"
	FOR EACH ROW EXECUTE FUNCTION "populace_refuse_change"('review_decisions is append-only: decisions are never changed');--> statement-breakpoint
CREATE TRIGGER "review_decisions_no_delete" BEFORE DELETE ON "review_decisions"
	FOR EACH ROW EXECUTE FUNCTION "populace_refuse_change"('review_decisions is append-only: decisions are never deleted');--> statement-breakpoint
CREATE TRIGGER "review_decisions_no_truncate" BEFORE TRUNCATE ON "review_decisions"
	FOR EACH STATEMENT EXECUTE FUNCTION "populace_refuse_change"('review_decisions is append-only: decisions are never deleted');--> statement-breakpoint

-- The audit log is append-only: entries are never changed or removed.
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log"
	FOR EACH ROW EXECUTE FUNCTION "populace_refuse_change"('audit_log is append-only: entries are never changed');--> statement-breakpoint
CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log"
	FOR EACH ROW EXECUTE FUNCTION "populace_refuse_change"('audit_log is append-only: entries are never removed');--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
	FOR EACH STATEMENT EXECUTE FUNCTION "populace_refuse_change"('audit_log is append-only: entries are never removed');
