ALTER TABLE `customer_requests` ADD `chat_id` text;--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `room_key` text;--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `room_url` text;--> statement-breakpoint
ALTER TABLE `customer_requests` ADD `alert_outcome` text;--> statement-breakpoint
CREATE INDEX `customer_requests_open_alerts` ON `customer_requests` (`room_key`) WHERE "customer_requests"."kind" = 'alert' and "customer_requests"."status" = 'open';