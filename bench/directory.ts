// Directory search at 100,000 profiles: names (accents typed or not), "who knows X", text + filters, and a short
// word the trigram index cannot help with. Each query runs through searchDirectory() — the function the pages and
// the API call — 40 times after 5 warm-ups; p50 and p95 are printed beside the 50 ms target.
import type { Benchmark } from "./lib/bench.ts";
import { Scope } from "./lib/cleanup.ts";
import { benchDatabase } from "./lib/instance.ts";
import { atMost, percentile, type Report, sortedCopy } from "./lib/report.ts";
import { connect } from "../server/db/pool.ts";
import { migrate } from "../server/db/migrate.ts";
import { type DirectoryQuery, searchDirectory } from "../server/domain/directory.ts";

const PROFILES = 100_000;
const RUNS = 40, WARMUP = 5;

const QUERIES: { label: string; query: DirectoryQuery }[] = [
  { label: "name, typed without accents (\"eloise lefevre\")", query: { q: "eloise lefevre" } },
  { label: "who knows kubernetes (exact tag first)", query: { knows: "kubernetes" } },
  { label: "\"droit\" + department + site filters", query: { q: "droit", department: "Juridique", site: "Lyon Part-Dieu" } },
  { label: "job word (\"ingénieur\")", query: { q: "ingénieur" } },
  { label: "expertise filter only", query: { expertise: "terraform" } },
  { label: "two-letter word (\"rh\", no trigram)", query: { q: "rh" } },
];

export const directory: Benchmark = {
  name: "directory",
  title: `directory search over ${PROFILES.toLocaleString("en")} profiles: p50/p95 per query`,
  async run(report: Report) {
    const scope = new Scope("directory");
    try {
      const db = await benchDatabase(scope);
      const sql = connect(db.url);
      scope.defer("database pool", () => sql.end({ timeout: 5 }));
      await migrate(sql);
      const started = performance.now();
      // Accounts first (a trigger gives each local account its profile row), then the profiles' fields: names with
      // accents, 12 departments, 20 sites, 2–4 tags out of 300 per person.
      await sql`INSERT INTO accounts (username, iri, display_name)
        SELECT 'u' || i, 'https://bench.example/users/u' || i,
          (ARRAY['Éloïse','Marc','Zoé','Hélène','Jérôme','Anaïs','François','Léa','Noël','Camille'])[1 + i % 10] || ' ' ||
          (ARRAY['Lefèvre','Girard','Dubois','Müller','Nguyễn','Martin','Bernard','Petit','Durand','Leroy','Moreau','Fournier'])[1 + (i / 10) % 12] || ' ' || i
        FROM generate_series(1, ${PROFILES}) AS i`;
      await sql`UPDATE profiles p SET
          department = (ARRAY['Infrastructure','Juridique','RH','Finance','Achats','Commercial','Marketing','Production','Qualité','Logistique','R&D','Direction'])[1 + a.id % 12],
          site = (ARRAY['Paris La Défense','Lyon Part-Dieu','Lille','Nantes','Bordeaux','Toulouse','Marseille','Strasbourg','Rennes','Grenoble',
            'Nice','Montpellier','Dijon','Reims','Tours','Metz','Rouen','Brest','Caen','Annecy'])[1 + (a.id / 12) % 20],
          job_title = (ARRAY['Ingénieure logiciel','Juriste droit social','Chargé RH','Contrôleuse de gestion','Acheteur','Technicien'])[1 + a.id % 6],
          expertise = ARRAY['tag' || (a.id % 300), 'tag' || ((a.id * 7) % 300),
            (ARRAY['kubernetes','terraform','droit-social','paie','sap','python'])[1 + (a.id / 7) % 6]]
        FROM accounts a WHERE a.id = p.account_id`;
      await sql`ANALYZE profiles`;
      await sql`ANALYZE accounts`;
      report.note(`${PROFILES.toLocaleString("en")} profiles generated and indexed in ${((performance.now() - started) / 1000).toFixed(1)} s (${db.kind})`);
      for (const { label, query } of QUERIES) {
        const times: number[] = [];
        let hits = 0;
        for (let i = 0; i < WARMUP + RUNS; i++) {
          const t0 = performance.now();
          const rows = await searchDirectory(sql, { ...query, limit: 30 });
          if (i >= WARMUP) times.push(performance.now() - t0);
          hits = rows.length;
        }
        const sorted = sortedCopy(times);
        report.add(`${label} p50`, percentile(sorted, 50), "ms", { target: atMost(50, "50 ms") });
        report.add(`${label} p95`, percentile(sorted, 95), "ms", { target: atMost(50, "50 ms") });
        if (hits === 0) report.note(`  (no result for ${label}: the figure would mean nothing)`);
      }
    } finally {
      await scope.close();
    }
  },
};
