import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{server,federation,media,web,test}/**/*.test.ts"],
    pool: "forks",
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: true,
  },
});
