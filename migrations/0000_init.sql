CREATE TABLE `agent_profiles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`photo_url` text,
	`greeting` text DEFAULT 'Hello! How can I help you today?' NOT NULL,
	`ringtone` text DEFAULT 'classic' NOT NULL,
	`whatsapp_enabled` integer DEFAULT false NOT NULL,
	`whatsapp_number` text,
	`manual_payment_allowed` integer DEFAULT false NOT NULL,
	`own_pricing_enabled` integer DEFAULT false NOT NULL,
	`pricing_currency` text DEFAULT 'EUR' NOT NULL,
	`pricing_free_minutes` integer DEFAULT 0 NOT NULL,
	`pricing_block_price_minor` integer DEFAULT 1000 NOT NULL,
	`pricing_block_minutes` integer DEFAULT 5 NOT NULL,
	`pricing_split_threshold_minor` integer,
	`notification_alert` integer DEFAULT true NOT NULL,
	`email_alert` integer DEFAULT true NOT NULL,
	`private_room_id` text,
	`payout_method` text,
	`payout_account` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text,
	`user_id` text,
	`action` text NOT NULL,
	`subject` text,
	`detail` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_company_created` ON `audit_events` (`company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `charges` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text,
	`invoice_id` text,
	`seq` integer NOT NULL,
	`kind` text DEFAULT 'service' NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`payment_intent_id` text,
	`idempotency_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`failure_code` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `charges_idempotency_key_unique` ON `charges` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `charges_chat` ON `charges` (`chat_id`);--> statement-breakpoint
CREATE TABLE `chats` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`room_id` text NOT NULL,
	`private_agent_id` text,
	`agent_id` text,
	`visitor_id` text,
	`mode` text DEFAULT 'chat' NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`customer_name` text,
	`customer_email` text,
	`customer_phone` text,
	`customer_message` text,
	`charging_mode` text DEFAULT 'none' NOT NULL,
	`currency` text,
	`chargeable_seconds` integer DEFAULT 0 NOT NULL,
	`amount_minor` integer DEFAULT 0 NOT NULL,
	`paid_minor` integer DEFAULT 0 NOT NULL,
	`ended_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`answered_at` integer,
	`ended_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `chats_company_created` ON `chats` (`company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `chats_agent` ON `chats` (`agent_id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`account_type` text NOT NULL,
	`plan` text DEFAULT 'free' NOT NULL,
	`entitlement_quota` integer DEFAULT 500 NOT NULL,
	`entitlement_used` integer DEFAULT 0 NOT NULL,
	`contact_email` text,
	`logo_url` text,
	`stripe_account_id` text,
	`stripe_account_ready` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_slug_unique` ON `companies` (`slug`);--> statement-breakpoint
CREATE TABLE `customer_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`room_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text,
	`email` text NOT NULL,
	`body` text,
	`handled_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`body_text` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`duration_seconds` integer,
	`status` text DEFAULT 'open' NOT NULL,
	`payment_intent_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`paid_at` integer,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`txn_id` text NOT NULL,
	`company_id` text NOT NULL,
	`chat_id` text,
	`agent_id` text,
	`charge_id` text,
	`kind` text NOT NULL,
	`account` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_company_created` ON `ledger_entries` (`company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_txn` ON `ledger_entries` (`txn_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`sender` text NOT NULL,
	`user_id` text,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_chat` ON `messages` (`chat_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `payouts` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`user_id` text NOT NULL,
	`method` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`state` text DEFAULT 'scheduled' NOT NULL,
	`due_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rate_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`window_start` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`user_id` text NOT NULL,
	`segment` integer NOT NULL,
	`r2_key` text,
	`mime_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`duration_ms` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `room_agents` (
	`room_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`room_id`, `user_id`),
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `room_agents_user` ON `room_agents` (`user_id`);--> statement-breakpoint
CREATE TABLE `rooms` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`theme` text DEFAULT '#2563eb' NOT NULL,
	`form_company_name` text,
	`form_logo_url` text,
	`form_header` text DEFAULT 'Talk to us' NOT NULL,
	`form_subheader` text DEFAULT 'An agent will answer in moments.' NOT NULL,
	`field_name` text DEFAULT 'mandatory' NOT NULL,
	`field_email` text DEFAULT 'shown' NOT NULL,
	`field_phone` text DEFAULT 'shown' NOT NULL,
	`field_message` text DEFAULT 'shown' NOT NULL,
	`button_chat_hidden` integer DEFAULT false NOT NULL,
	`button_email_hidden` integer DEFAULT false NOT NULL,
	`button_voice_hidden` integer DEFAULT false NOT NULL,
	`button_video_hidden` integer DEFAULT false NOT NULL,
	`button_whatsapp_hidden` integer DEFAULT true NOT NULL,
	`assignment` text DEFAULT 'quickest' NOT NULL,
	`same_agent` integer DEFAULT false NOT NULL,
	`include_mobile` integer DEFAULT true NOT NULL,
	`allow_leave_email` integer DEFAULT true NOT NULL,
	`allow_email_alert` integer DEFAULT false NOT NULL,
	`whatsapp_online_agents` integer DEFAULT true NOT NULL,
	`whatsapp_offline_agents` integer DEFAULT true NOT NULL,
	`charging_mode` text DEFAULT 'none' NOT NULL,
	`pricing_currency` text DEFAULT 'EUR' NOT NULL,
	`pricing_free_minutes` integer DEFAULT 0 NOT NULL,
	`pricing_block_price_minor` integer DEFAULT 1000 NOT NULL,
	`pricing_block_minutes` integer DEFAULT 5 NOT NULL,
	`pricing_split_threshold_minor` integer,
	`authorisation_amount_minor` integer DEFAULT 5000 NOT NULL,
	`allow_agent_pricing` integer DEFAULT false NOT NULL,
	`public_company_name` text,
	`public_contact_email` text,
	`phone_text` integer DEFAULT true NOT NULL,
	`phone_voice` integer DEFAULT true NOT NULL,
	`phone_video` integer DEFAULT true NOT NULL,
	`phone_screen_share` integer DEFAULT true NOT NULL,
	`phone_recording` integer DEFAULT false NOT NULL,
	`phone_remote_control` integer DEFAULT true NOT NULL,
	`phone_full_screen` integer DEFAULT false NOT NULL,
	`phone_conference` integer DEFAULT false NOT NULL,
	`phone_simultaneous_chats` integer DEFAULT false NOT NULL,
	`phone_timer_start` integer DEFAULT true NOT NULL,
	`phone_timer_stop` integer DEFAULT true NOT NULL,
	`hide_preview_typing` integer DEFAULT false NOT NULL,
	`agent_role` text DEFAULT 'Agent' NOT NULL,
	`wrap_up_seconds` integer,
	`embed_position` text DEFAULT 'right' NOT NULL,
	`embed_popup` integer DEFAULT true NOT NULL,
	`embed_whisper_text` text DEFAULT 'Questions? We''re online.' NOT NULL,
	`embed_whisper_delay_seconds` integer DEFAULT 20 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rooms_company_name` ON `rooms` (`company_id`,`name`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`handle` text NOT NULL,
	`password_hash` text NOT NULL,
	`is_admin` integer DEFAULT false NOT NULL,
	`is_agent` integer DEFAULT true NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_company_handle` ON `users` (`company_id`,`handle`);