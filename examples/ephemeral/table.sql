-- One row per preview environment. expires_at is in UTC (the provider reads DATETIME as UTC),
-- so write it with UTC_TIMESTAMP(), not NOW(); NULL never expires.
CREATE TABLE preview_envs (
  branch VARCHAR(63) PRIMARY KEY,
  is_active BOOLEAN DEFAULT TRUE,
  expires_at DATETIME NULL,
  image VARCHAR(200)
);

INSERT INTO preview_envs (branch, is_active, expires_at, image) VALUES
  ('feat-login', TRUE, UTC_TIMESTAMP() + INTERVAL 3 DAY, 'registry.example.com/web:pr-101'),
  ('feat-search', TRUE, UTC_TIMESTAMP() - INTERVAL 1 HOUR, 'registry.example.com/web:pr-97'),
  ('staging', TRUE, NULL, 'registry.example.com/web:2.0.0'),
  ('feat-paused', FALSE, UTC_TIMESTAMP() + INTERVAL 3 DAY, 'registry.example.com/web:pr-99');

-- Extend an environment by a day, or retire it now (the Hub deletes it at its next sync):
--   UPDATE preview_envs SET expires_at = expires_at + INTERVAL 1 DAY WHERE branch = 'feat-login';
--   UPDATE preview_envs SET expires_at = UTC_TIMESTAMP() WHERE branch = 'feat-login';
