CREATE TABLE `alignment_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`target_id` integer,
	`group_id` integer,
	`job_id` integer,
	`status` text NOT NULL,
	`seed` integer NOT NULL,
	`config` text NOT NULL,
	`persona_ids` text,
	`weights` text,
	`selection` text,
	`metrics` text,
	`diagnostics` text,
	`trace` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `authors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`external_id` text NOT NULL,
	`metadata` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `authors_source_external` ON `authors` (`source_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `baseline_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`model` text NOT NULL,
	`instrument_id` text NOT NULL,
	`temperature` real,
	`system_prompt` text,
	`run` integer DEFAULT 0 NOT NULL,
	`E` real NOT NULL,
	`A` real NOT NULL,
	`C` real NOT NULL,
	`N` real NOT NULL,
	`O` real NOT NULL,
	`answers` text,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `baseline_unique` ON `baseline_responses` (`source_id`,`model`,`temperature`,`system_prompt`,`run`);--> statement-breakpoint
CREATE TABLE `exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer,
	`format` text NOT NULL,
	`manifest` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `alignment_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_name_unique` ON `groups` (`name`);--> statement-breakpoint
CREATE TABLE `instrument_items` (
	`instrument_id` text NOT NULL,
	`item_id` text NOT NULL,
	`position` integer NOT NULL,
	`trait` text NOT NULL,
	`keyed` text NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`instrument_id`, `item_id`),
	FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `instruments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`scale_min` integer NOT NULL,
	`scale_max` integer NOT NULL,
	`source_id` text NOT NULL,
	`description` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `item_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`persona_id` integer NOT NULL,
	`instrument_id` text NOT NULL,
	`item_id` text NOT NULL,
	`value` integer NOT NULL,
	`model` text,
	`temperature` real,
	`repetition` integer DEFAULT 0 NOT NULL,
	`llm_call_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `item_responses_unique` ON `item_responses` (`persona_id`,`instrument_id`,`item_id`,`model`,`temperature`,`repetition`);--> statement-breakpoint
CREATE INDEX `item_responses_persona` ON `item_responses` (`persona_id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`params` text NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`error` text,
	`result` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`started_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `jobs_status` ON `jobs` (`status`);--> statement-breakpoint
CREATE TABLE `llm_calls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_hash` text NOT NULL,
	`role` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`params` text NOT NULL,
	`request` text NOT NULL,
	`response` text,
	`error` text,
	`tokens_in` integer,
	`tokens_out` integer,
	`latency_ms` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `llm_calls_hash` ON `llm_calls` (`request_hash`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `norms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`table_name` text NOT NULL,
	`group_type` text NOT NULL,
	`group_name` text NOT NULL,
	`scale` text NOT NULL,
	`level` text NOT NULL,
	`unit` text NOT NULL,
	`n` integer,
	`mean` real NOT NULL,
	`sd` real,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `norms_unique` ON `norms` (`table_name`,`group_type`,`group_name`,`scale`);--> statement-breakpoint
CREATE TABLE `persona_posts` (
	`persona_id` integer NOT NULL,
	`post_id` integer NOT NULL,
	PRIMARY KEY(`persona_id`, `post_id`),
	FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `personas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`external_id` text NOT NULL,
	`author_id` integer,
	`parent_id` integer,
	`name` text,
	`narrative` text NOT NULL,
	`age` integer,
	`age_band` text DEFAULT 'unknown' NOT NULL,
	`gender` text DEFAULT 'unknown' NOT NULL,
	`country` text DEFAULT 'unknown' NOT NULL,
	`occupation` text DEFAULT 'unknown' NOT NULL,
	`model` text,
	`prompt_version` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`quality_scores` text,
	`flags` text DEFAULT '[]' NOT NULL,
	`duplicate_of_id` integer,
	`metadata` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `personas_source_external` ON `personas` (`source_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `personas_status` ON `personas` (`status`);--> statement-breakpoint
CREATE INDEX `personas_parent` ON `personas` (`parent_id`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`author_id` integer NOT NULL,
	`external_id` text,
	`text` text NOT NULL,
	`posted_at` text,
	`metadata` text,
	`cleaned_text` text,
	`quality` text,
	`harmful` integer,
	`kept` integer,
	`filter_reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `posts_author` ON `posts` (`author_id`);--> statement-breakpoint
CREATE TABLE `reason_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reference_respondents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference_set_id` text NOT NULL,
	`row` integer NOT NULL,
	`country` text NOT NULL,
	`age` integer,
	`gender` text NOT NULL,
	`E` real NOT NULL,
	`A` real NOT NULL,
	`C` real NOT NULL,
	`N` real NOT NULL,
	`O` real NOT NULL,
	`answers` text NOT NULL,
	FOREIGN KEY (`reference_set_id`) REFERENCES `reference_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reference_respondents_row` ON `reference_respondents` (`reference_set_id`,`row`);--> statement-breakpoint
CREATE INDEX `reference_respondents_country` ON `reference_respondents` (`country`);--> statement-breakpoint
CREATE TABLE `reference_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`source_id` text NOT NULL,
	`instrument_id` text NOT NULL,
	`description` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`persona_id` integer NOT NULL,
	`reviewer` text NOT NULL,
	`decision` text NOT NULL,
	`reason_code` text,
	`note` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reason_code`) REFERENCES `reason_codes`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_decisions_persona` ON `review_decisions` (`persona_id`);--> statement-breakpoint
CREATE INDEX `review_decisions_reviewer` ON `review_decisions` (`reviewer`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`licence` text NOT NULL,
	`citation` text NOT NULL,
	`origin` text NOT NULL,
	`notes` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `targets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`reference_set_id` text NOT NULL,
	`filters` text NOT NULL,
	`edits` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`reference_set_id`) REFERENCES `reference_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `targets_name_unique` ON `targets` (`name`);--> statement-breakpoint
CREATE TABLE `trait_scores` (
	`persona_id` integer NOT NULL,
	`instrument_id` text NOT NULL,
	`E` real NOT NULL,
	`A` real NOT NULL,
	`C` real NOT NULL,
	`N` real NOT NULL,
	`O` real NOT NULL,
	`spread` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`persona_id`, `instrument_id`),
	FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON UPDATE no action ON DELETE no action
);
