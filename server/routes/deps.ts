import type { Federation } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Sql } from "../db/pool.ts";
import type { AppContext, Ctx } from "../../federation/context.ts";
import type { Clock } from "../clock.ts";
import type { StreamHub } from "./mastodon/streaming/hub.ts";

/** What every route module receives: passed down from createInstance, never imported as globals. */
export interface RouteDeps {
  config: Config;
  sql: Sql;
  federation: Federation<AppContext>;
  data: AppContext;
  context(): Ctx;
  /** The process's streaming hub (one subscriber to the event bus for every streaming client). */
  streaming: StreamHub;
  /** The instance's time (quiet hours, delayed sending): a ManualClock in tests. */
  clock: Clock;
}
