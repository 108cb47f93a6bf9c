-- Permissions beyond roles, held by a user or an API key (e.g. price_override).
alter table users add column permissions text[] not null default '{}';
alter table api_keys add column permissions text[] not null default '{}';
