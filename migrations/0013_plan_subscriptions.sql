CREATE TABLE `plan_subscriptions` (
	`company_id` text PRIMARY KEY NOT NULL,
	`source` text DEFAULT 'stripe' NOT NULL,
	`plan` text NOT NULL,
	`status` text NOT NULL,
	`stripe_customer_id` text,
	`stripe_subscription_id` text,
	`current_period_end` integer,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`grace_until` integer,
	`carried_plan` text,
	`carried_until` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plan_subscriptions_stripe_customer_id_unique` ON `plan_subscriptions` (`stripe_customer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `plan_subscriptions_stripe_subscription_id_unique` ON `plan_subscriptions` (`stripe_subscription_id`);