-- Full-text search over persona narratives, names and occupations (SQLite FTS5, external content on personas).
-- Triggers keep the index in step with personas; the seed runs after this migration, so seeded rows are indexed by
-- the insert trigger. 'rebuild' indexes rows that already existed when the migration ran.
CREATE VIRTUAL TABLE `personas_fts` USING fts5(
	narrative,
	name,
	occupation,
	content='personas',
	content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);--> statement-breakpoint
CREATE TRIGGER `personas_fts_ai` AFTER INSERT ON `personas` BEGIN
	INSERT INTO `personas_fts`(rowid, narrative, name, occupation) VALUES (new.id, new.narrative, new.name, new.occupation);
END;--> statement-breakpoint
CREATE TRIGGER `personas_fts_ad` AFTER DELETE ON `personas` BEGIN
	INSERT INTO `personas_fts`(`personas_fts`, rowid, narrative, name, occupation) VALUES ('delete', old.id, old.narrative, old.name, old.occupation);
END;--> statement-breakpoint
CREATE TRIGGER `personas_fts_au` AFTER UPDATE OF narrative, name, occupation ON `personas` BEGIN
	INSERT INTO `personas_fts`(`personas_fts`, rowid, narrative, name, occupation) VALUES ('delete', old.id, old.narrative, old.name, old.occupation);
	INSERT INTO `personas_fts`(rowid, narrative, name, occupation) VALUES (new.id, new.narrative, new.name, new.occupation);
END;--> statement-breakpoint
INSERT INTO `personas_fts`(`personas_fts`) VALUES ('rebuild');--> statement-breakpoint
-- min_critic_score follows quality_scores ({ name: { score, reason } }, critic scale 1-10).
CREATE TRIGGER `personas_min_critic_ai` AFTER INSERT ON `personas` WHEN new.quality_scores IS NOT NULL BEGIN
	UPDATE `personas` SET `min_critic_score` = (
		SELECT min(CAST(json_extract(j.value, '$.score') AS REAL)) FROM json_each(new.quality_scores) j
	) WHERE id = new.id;
END;--> statement-breakpoint
CREATE TRIGGER `personas_min_critic_au` AFTER UPDATE OF quality_scores ON `personas` BEGIN
	UPDATE `personas` SET `min_critic_score` = (
		SELECT min(CAST(json_extract(j.value, '$.score') AS REAL)) FROM json_each(new.quality_scores) j
	) WHERE id = new.id;
END;--> statement-breakpoint
UPDATE `personas` SET `min_critic_score` = (
	SELECT min(CAST(json_extract(j.value, '$.score') AS REAL)) FROM json_each(`personas`.quality_scores) j
) WHERE quality_scores IS NOT NULL;--> statement-breakpoint
-- Review decisions are append-only: the database refuses to change or remove one.
CREATE TRIGGER `review_decisions_no_update` BEFORE UPDATE ON `review_decisions` BEGIN
	SELECT RAISE(ABORT, 'review_decisions is append-only: decisions are never changed');
END;--> statement-breakpoint
CREATE TRIGGER `review_decisions_no_delete` BEFORE DELETE ON `review_decisions` BEGIN
	SELECT RAISE(ABORT, 'review_decisions is append-only: decisions are never deleted');
END;
