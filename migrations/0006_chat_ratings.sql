ALTER TABLE `chats` ADD `rating` integer;--> statement-breakpoint
ALTER TABLE `chats` ADD `rating_comment` text;--> statement-breakpoint
ALTER TABLE `chats` ADD `rated_at` integer;--> statement-breakpoint
CREATE INDEX `chats_rated` ON `chats` (`company_id`,`agent_id`,`rating`) WHERE "chats"."rating" is not null;