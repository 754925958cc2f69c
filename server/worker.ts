// `npm run start:worker`: a worker-role process (RUCHE_ROLE=worker whatever the environment says), started with V8
// flags for throughput rather than memory: the young generation npm start's `--max-semi-space-size=1` and
// `--optimize-for-size` keep small cost a worker 3 to 6 ms of CPU per stored activity (ADR 0011).
process.env.RUCHE_ROLE = "worker";
await import("./main.ts");
