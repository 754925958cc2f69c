-- Account deletion (issue #16 point 3): a person asks, a grace period follows during which they may change their
-- mind, then their content is erased and Delete(Person) sent; the account row stays a little longer as an empty
-- shell whose actor document still carries its keys (receivers verify the Delete's signature against it), then goes.
ALTER TABLE users ADD COLUMN deletion_requested_at timestamptz, ADD COLUMN deletion_due_at timestamptz;
ALTER TABLE accounts ADD COLUMN deleted_at timestamptz;
-- Tombstones of a deleted account outlive it (their account_id is then null): its IRI and its posts' IRIs answer
-- "gone", a replayed Create of them is dropped, and the username is not given to someone else.
CREATE INDEX tombstones_orphan_idx ON tombstones (iri) WHERE account_id IS NULL;
