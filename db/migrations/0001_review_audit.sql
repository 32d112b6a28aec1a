ALTER TABLE `personas` ADD `min_critic_score` real;--> statement-breakpoint
ALTER TABLE `personas` ADD `updated_at` text;--> statement-breakpoint
CREATE INDEX `personas_min_critic_score` ON `personas` (`min_critic_score`);--> statement-breakpoint
CREATE INDEX `personas_source` ON `personas` (`source_id`);--> statement-breakpoint
ALTER TABLE `review_decisions` ADD `undoes_id` integer;--> statement-breakpoint
ALTER TABLE `review_decisions` ADD `status_before` text;--> statement-breakpoint
ALTER TABLE `review_decisions` ADD `status_after` text;--> statement-breakpoint
ALTER TABLE `review_decisions` ADD `batch_id` text;--> statement-breakpoint
ALTER TABLE `review_decisions` ADD `settlement` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `review_decisions_undoes` ON `review_decisions` (`undoes_id`);--> statement-breakpoint
CREATE INDEX `review_decisions_batch` ON `review_decisions` (`batch_id`);