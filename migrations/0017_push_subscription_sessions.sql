ALTER TABLE `push_subscriptions` ADD `session_hash` text REFERENCES sessions(id_hash) ON DELETE cascade;
