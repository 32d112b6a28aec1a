CREATE TABLE `job_units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`key` text NOT NULL,
	`stage` text NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`worker_id` text,
	`lease_expires_at` integer,
	`heartbeat_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`error` text,
	`result` text,
	`finished_at` integer,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_units_job_key` ON `job_units` (`job_id`,`key`);--> statement-breakpoint
CREATE INDEX `job_units_job_status` ON `job_units` (`job_id`,`status`);