CREATE TABLE `recording_consents` (
	`chat_id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`answer` text NOT NULL,
	`asked_at` integer NOT NULL,
	`answered_at` integer NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recordings_chat_segment` ON `recordings` (`chat_id`,`segment`);