-- The authorization code a token was given for (its SHA-256 digest, as the code itself was stored), carried over to
-- the token a refresh makes from it: a code presented a second time revokes every token that came from it
-- (RFC 6749 §4.1.2 "SHOULD revoke all tokens previously issued based on that authorization code").
ALTER TABLE api_tokens ADD COLUMN code_hash text;
CREATE INDEX api_tokens_code_idx ON api_tokens (code_hash) WHERE code_hash IS NOT NULL AND revoked_at IS NULL;
