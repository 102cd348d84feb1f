ALTER TABLE `companies` ADD `entitlement_emails` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `kind` text DEFAULT 'notice' NOT NULL;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `from_name` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `reply_to` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `body_html` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `headers` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `note` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `claim` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `claimed_at` integer;--> statement-breakpoint
CREATE INDEX `email_outbox_company_created` ON `email_outbox` (`company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_status` ON `email_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
UPDATE `email_outbox` SET `kind` = 'receipt' WHERE `id` LIKE '%:receipt';--> statement-breakpoint
UPDATE `email_outbox` SET `kind` = 'revenue' WHERE `id` LIKE '%:revenue';