ALTER TABLE `jobs` ADD `updated_at` text;--> statement-breakpoint
ALTER TABLE `targets` ADD `updated_at` text;