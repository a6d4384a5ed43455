-- Throttles of the security review (docs/SECURITY.md): sign-in failures are also counted per
-- (account, address) pair and, for the second factor, per account on their own; password
-- reset requests per account and per address. One table, more scopes.
ALTER TABLE login_failures DROP CONSTRAINT login_failures_scope_check;
ALTER TABLE login_failures ADD CONSTRAINT login_failures_scope_check
    CHECK (scope IN ('account', 'address', 'pair', 'second_factor', 'reset_account', 'reset_address'));
