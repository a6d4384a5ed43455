-- Throttles of the security review (docs/SECURITY.md): sign-in failures are also counted per
-- (account, address) pair and, for the second factor, per account on their own; password
-- reset requests per account and per address. One table, more scopes.
CREATE TABLE login_failures_v11 (
    id    INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('account', 'address', 'pair', 'second_factor', 'reset_account', 'reset_address')),
    key   TEXT NOT NULL,
    at    TEXT NOT NULL
);
INSERT INTO login_failures_v11 (id, scope, key, at) SELECT id, scope, key, at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_v11 RENAME TO login_failures;
CREATE INDEX login_failures_key ON login_failures (scope, key, at);
