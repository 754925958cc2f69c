// What Fedify hands to every dispatcher and listener (its "context data"): no global singletons, so several
// instances can live in one test process.
import type { Context } from "@fedify/fedify";
import type { Config } from "../server/config.ts";
import type { Sql } from "../server/db/pool.ts";
import type { SiblingPolicy } from "./sibling-policy.ts";
import type { KeyOwnerVerifier } from "./key-owner.ts";

export interface AppContext {
  sql: Sql;
  config: Config;
  siblings: SiblingPolicy;
  keyOwners: KeyOwnerVerifier;
}

export type Ctx = Context<AppContext>;

export { INSTANCE_ACTOR } from "./uris.ts";
