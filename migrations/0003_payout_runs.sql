ALTER TABLE `payouts` ADD `attempt` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payouts` ADD `destination` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `reference` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `failure_code` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `failure_reason` text;--> statement-breakpoint
ALTER TABLE `payouts` ADD `paid_at` integer;