CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`room_id` text NOT NULL,
	`private_agent_id` text,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`private_agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `invitations_agent_created` ON `invitations` (`agent_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `chats` ADD `invitation_id` text REFERENCES invitations(id);--> statement-breakpoint
CREATE INDEX `chats_invitation` ON `chats` (`invitation_id`) WHERE "chats"."invitation_id" is not null;