ALTER TABLE `customer_requests` ADD `private_agent_id` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `status` text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `answered_at` integer;--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `answered_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `reply_text` text;--> statement-breakpoint
CREATE INDEX `customer_requests_company_created` ON `customer_requests` (`company_id`,`created_at`);