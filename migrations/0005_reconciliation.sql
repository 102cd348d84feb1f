CREATE TABLE `reconciliation_differences` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`txn_id` text,
	`chat_id` text,
	`stripe_object` text,
	`currency` text NOT NULL,
	`ledger_minor` integer,
	`stripe_minor` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reconciliation_differences_company_day` ON `reconciliation_differences` (`company_id`,`day`);--> statement-breakpoint
CREATE TABLE `reconciliations` (
	`company_id` text NOT NULL,
	`day` text NOT NULL,
	`checked_at` integer NOT NULL,
	`compared` integer NOT NULL,
	`differences` integer NOT NULL,
	`error` text,
	PRIMARY KEY(`company_id`, `day`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `charges` ADD `stripe_charge_id` text;--> statement-breakpoint
ALTER TABLE `charges` ADD `balance_transaction_id` text;--> statement-breakpoint
CREATE INDEX `charges_payment_intent` ON `charges` (`payment_intent_id`);